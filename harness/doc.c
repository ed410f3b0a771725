/* doc.c: the report document writer (see doc.h): one set of calls, three
 * formats. Escaping lives here and nowhere else. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness/doc.h"
#include "harness/error.h"

/* ---- tables ---- */

int dt_init(doc_table *t, size_t ncol)
{
    memset(t, 0, sizeof *t);
    t->ncol = ncol;
    t->head = calloc(ncol, sizeof *t->head);
    t->align = calloc(ncol, 1);
    if (!t->head || !t->align) {
        dt_free(t);
        return -1;
    }
    memset(t->align, 'l', ncol);
    return 0;
}

void dt_free(doc_table *t)
{
    if (t->head)
        for (size_t i = 0; i < t->ncol; i++)
            free(t->head[i]);
    if (t->cell)
        for (size_t i = 0; i < t->nrows * t->ncol; i++)
            free(t->cell[i]);
    free(t->head);
    free(t->align);
    free(t->cell);
    free(t->rank);
    memset(t, 0, sizeof *t);
}

void dt_head(doc_table *t, size_t col, const char *text, char align)
{
    if (col >= t->ncol)
        return;
    free(t->head[col]);
    t->head[col] = strdup(text);
    t->align[col] = align;
}

size_t dt_row(doc_table *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **c = realloc(t->cell, cap * t->ncol * sizeof *c);
        if (!c)
            return (size_t)-1;
        t->cell = c;
        double *r = realloc(t->rank, cap * sizeof *r);
        if (!r)
            return (size_t)-1;
        t->rank = r;
        t->cap = cap;
    }
    for (size_t i = 0; i < t->ncol; i++)
        t->cell[t->nrows * t->ncol + i] = NULL;
    t->rank[t->nrows] = NAN;
    return t->nrows++;
}

void dt_set(doc_table *t, size_t row, size_t col, const char *fmt, ...)
{
    if (row >= t->nrows || col >= t->ncol)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2]) { /* a text as it is: most cells, 100,000s in a report */
        const char *s = va_arg(ap, const char *);
        ab_strlcpy(buf, s ? s : "(null)", sizeof buf);
    } else {
        vsnprintf(buf, sizeof buf, fmt, ap);
    }
    va_end(ap);
    char **c = &t->cell[row * t->ncol + col];
    free(*c);
    *c = strdup(buf);
}

typedef struct {
    double rank;
    size_t row;
} ranked;

static int by_rank(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int xn = isnan(x->rank), yn = isnan(y->rank);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->rank != y->rank)
        return x->rank < y->rank ? 1 : -1;
    return (x->row > y->row) - (x->row < y->row);
}

static int by_row(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

size_t dt_pick(const doc_table *t, size_t top, size_t **idx)
{
    size_t n = t->nrows, k = top && top < n ? top : n;
    *idx = malloc((n ? n : 1) * sizeof **idx);
    if (!*idx)
        return 0;
    if (k == n) {
        for (size_t i = 0; i < n; i++)
            (*idx)[i] = i;
        return n;
    }
    ranked *r = malloc(n * sizeof *r);
    if (!r) {
        free(*idx);
        *idx = NULL;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){t->rank[i], i};
    qsort(r, n, sizeof *r, by_rank);
    for (size_t i = 0; i < k; i++)
        (*idx)[i] = r[i].row;
    free(r);
    qsort(*idx, k, sizeof **idx, by_row);
    return k;
}

/* ---- escaping ---- */

/* Markdown: ASCII punctuation that could start markup or break a table
 * is backslash-escaped (CommonMark lets any of it be); a line break
 * becomes a space. */
static void put_md(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t')
            fputc(' ', f);
        else if (strchr("\\`*_[]<>|~&#!", *s))
            fprintf(f, "\\%c", *s);
        else
            fputc(*s, f);
    }
}

static void put_html(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc((unsigned char)*s < 0x20 && *s != '\n' ? ' ' : *s, f);
        }
    }
}

static void put_txt(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
}

static void put(doc *d, const char *s)
{
    if (d->fmt == DOC_MD)
        put_md(d->f, s);
    else if (d->fmt == DOC_HTML)
        put_html(d->f, s);
    else
        put_txt(d->f, s);
}

/* ---- blocks ---- */

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    /* nothing may be fetched: charts are inline, styles are here */
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
    "style-src 'unsafe-inline'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";

static const char html_style[] =
    "<style>\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "margin:2em auto;max-width:1300px;padding:0 1em;color:#1f2328;background:#fff}\n"
    "h1,h2,h3{line-height:1.2}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.6em}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:14px}\n"
    "th,td{border:1px solid #d0d7de;padding:3px 8px;vertical-align:top}th{background:#f6f8fa}\n"
    "td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}\n"
    "code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;padding:0 3px}\n"
    "summary{cursor:pointer;font-weight:600;margin:.4em 0}\n"
    "figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #d0d7de}\n"
    ".sim{color:#b00020;font-weight:700}\n"
    "</style>\n";

void doc_begin(doc *d, FILE *f, doc_format fmt, const char *title)
{
    d->f = f;
    d->fmt = fmt;
    d->in_para = 0;
    if (fmt != DOC_HTML)
        return;
    fputs(html_head, f);
    fputs("<title>", f);
    put_html(f, title);
    fputs("</title>\n", f);
    fputs(html_style, f);
    fputs("</head>\n<body>\n", f);
}

void doc_end(doc *d)
{
    if (d->fmt == DOC_HTML)
        fputs("</body>\n</html>\n", d->f);
}

void doc_heading(doc *d, int level, const char *text)
{
    if (level < 1)
        level = 1;
    if (level > 4)
        level = 4;
    if (d->fmt == DOC_HTML) {
        fprintf(d->f, "<h%d>", level);
        put(d, text);
        fprintf(d->f, "</h%d>\n", level);
    } else if (d->fmt == DOC_MD) {
        fprintf(d->f, "\n%.*s ", level + 1, "#####");
        put(d, text);
        fputs("\n\n", d->f);
    } else {
        size_t len = strlen(text);
        fprintf(d->f, "\n");
        put(d, text);
        fputc('\n', d->f);
        if (level <= 2) {
            for (size_t i = 0; i < len; i++)
                fputc(level == 1 ? '=' : '-', d->f);
            fputc('\n', d->f);
        }
        fputc('\n', d->f);
    }
}

void doc_p(doc *d)
{
    d->in_para = 1;
    if (d->fmt == DOC_HTML)
        fputs("<p>", d->f);
}

void doc_p_end(doc *d)
{
    d->in_para = 0;
    fputs(d->fmt == DOC_HTML ? "</p>\n" : "\n\n", d->f);
}

void doc_li(doc *d)
{
    d->in_para = 1;
    fputs(d->fmt == DOC_HTML ? "<ul><li>" : "- ", d->f);
}

void doc_li_end(doc *d)
{
    d->in_para = 0;
    fputs(d->fmt == DOC_HTML ? "</li></ul>\n" : "\n", d->f);
}

static void vput(doc *d, const char *fmt, va_list ap)
{
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    put(d, buf);
}

void doc_text(doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput(d, fmt, ap);
    va_end(ap);
}

void doc_strong(doc *d, const char *fmt, ...)
{
    fputs(d->fmt == DOC_HTML ? "<strong>" : d->fmt == DOC_MD ? "**" : "", d->f);
    va_list ap;
    va_start(ap, fmt);
    vput(d, fmt, ap);
    va_end(ap);
    fputs(d->fmt == DOC_HTML ? "</strong>" : d->fmt == DOC_MD ? "**" : "", d->f);
}

void doc_code(doc *d, const char *text)
{
    if (d->fmt == DOC_HTML) {
        fputs("<code>", d->f);
        put_html(d->f, text);
        fputs("</code>", d->f);
    } else if (d->fmt == DOC_MD) {
        /* a code span shows its text as it is: only a backtick or a line
         * break could end it early */
        fputc('`', d->f);
        for (const char *s = text; *s; s++)
            fputc(*s == '`' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s, d->f);
        fputc('`', d->f);
    } else {
        put_txt(d->f, text);
    }
}

void doc_raw(doc *d, const char *text, size_t len)
{
    fwrite(text, 1, len, d->f);
}

void doc_details(doc *d, const char *summary)
{
    if (d->fmt == DOC_TXT) {
        put_txt(d->f, summary);
        fputs(":\n\n", d->f);
        return;
    }
    /* GitHub renders markdown inside <details> when blank lines surround it */
    fputs("<details><summary>", d->f);
    put_html(d->f, summary);
    fputs(d->fmt == DOC_MD ? "</summary>\n\n" : "</summary>\n", d->f);
}

void doc_details_end(doc *d)
{
    if (d->fmt != DOC_TXT)
        fputs(d->fmt == DOC_MD ? "\n</details>\n\n" : "</details>\n", d->f);
}

/* ---- table writers ---- */

static const char *cell(const doc_table *t, size_t row, size_t col)
{
    const char *c = t->cell[row * t->ncol + col];
    return c ? c : "";
}

/* Display width of UTF-8 text (code points; close enough for tables). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void table_txt(doc *d, const doc_table *t, const size_t *idx, size_t nidx)
{
    size_t *w = calloc(t->ncol, sizeof *w);
    if (!w)
        return;
    for (size_t c = 0; c < t->ncol; c++) {
        w[c] = width(t->head[c] ? t->head[c] : "");
        for (size_t i = 0; i < nidx; i++)
            if (width(cell(t, idx[i], c)) > w[c])
                w[c] = width(cell(t, idx[i], c));
    }
    for (size_t r = 0; r <= nidx + 1; r++) {
        for (size_t c = 0; c < t->ncol; c++) {
            const char *s = r == 0 ? (t->head[c] ? t->head[c] : "") : r == 1 ? NULL : cell(t, idx[r - 2], c);
            if (c)
                fputs("  ", d->f);
            if (!s) {
                for (size_t k = 0; k < w[c]; k++)
                    fputc('-', d->f);
                continue;
            }
            size_t pad = w[c] - width(s);
            if (t->align[c] == 'r')
                fprintf(d->f, "%*s", (int)pad, "");
            put_txt(d->f, s);
            if (t->align[c] != 'r' && c + 1 < t->ncol)
                fprintf(d->f, "%*s", (int)pad, "");
        }
        fputc('\n', d->f);
    }
    fputc('\n', d->f);
    free(w);
}

static void table_md(doc *d, const doc_table *t, const size_t *idx, size_t nidx)
{
    fputc('|', d->f);
    for (size_t c = 0; c < t->ncol; c++) {
        fputc(' ', d->f);
        put_md(d->f, t->head[c] ? t->head[c] : "");
        fputs(" |", d->f);
    }
    fputs("\n|", d->f);
    for (size_t c = 0; c < t->ncol; c++)
        fputs(t->align[c] == 'r' ? "---:|" : "---|", d->f);
    fputc('\n', d->f);
    for (size_t i = 0; i < nidx; i++) {
        fputc('|', d->f);
        for (size_t c = 0; c < t->ncol; c++) {
            fputc(' ', d->f);
            put_md(d->f, cell(t, idx[i], c));
            fputs(" |", d->f);
        }
        fputc('\n', d->f);
    }
    fputc('\n', d->f);
}

static void table_html(doc *d, const doc_table *t, const size_t *idx, size_t nidx)
{
    fputs("<table>\n<thead><tr>", d->f);
    for (size_t c = 0; c < t->ncol; c++) {
        fputs(t->align[c] == 'r' ? "<th class=\"r\">" : "<th>", d->f);
        put_html(d->f, t->head[c] ? t->head[c] : "");
        fputs("</th>", d->f);
    }
    fputs("</tr></thead>\n<tbody>\n", d->f);
    for (size_t i = 0; i < nidx; i++) {
        fputs("<tr>", d->f);
        for (size_t c = 0; c < t->ncol; c++) {
            fputs(t->align[c] == 'r' ? "<td class=\"r\">" : "<td>", d->f);
            put_html(d->f, cell(t, idx[i], c));
            fputs("</td>", d->f);
        }
        fputs("</tr>\n", d->f);
    }
    fputs("</tbody>\n</table>\n", d->f);
}

void doc_table_write(doc *d, const doc_table *t, const size_t *idx, size_t nidx)
{
    if (d->fmt == DOC_MD)
        table_md(d, t, idx, nidx);
    else if (d->fmt == DOC_HTML)
        table_html(d, t, idx, nidx);
    else
        table_txt(d, t, idx, nidx);
}
