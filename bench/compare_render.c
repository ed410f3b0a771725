/* compare_render.c: `anebench compare` as a terminal table, markdown and CSV
 * (see compare_render.h). */
#include "bench/compare_render.h"

#include <csv.h>
#include <math.h>
#include <string.h>

#include "harness/axis.h"

#define LIST_MAX 20 /* cases listed by name in table/md lists before "... N more" */

enum { C_OFF, C_GREEN, C_RED, C_YELLOW, C_BOLD };

static const char *ansi(int colour, int c)
{
    static const char *const codes[] = {"\033[0m", "\033[32m", "\033[31m", "\033[33m", "\033[1m"};
    return colour ? codes[c] : "";
}

static int class_colour(ab_cmp_class k)
{
    return k == CMP_FASTER ? C_GREEN : k == CMP_SLOWER ? C_RED : k == CMP_UNCLEAR ? C_YELLOW : C_OFF;
}

/* Display unit and scale: eval/hw in microseconds, phases in ms, GFLOPS as is. */
static const char *disp_unit(ab_cmp_metric m)
{
    const char *u = ab_cmp_metrics[m].unit;
    return !strcmp(u, "ns") ? "us" : u;
}

static double disp(ab_cmp_metric m, double v)
{
    return !strcmp(ab_cmp_metrics[m].unit, "ns") ? v / 1000.0 : v;
}

static void fmt_value(ab_cmp_metric m, double v, char *buf, size_t n)
{
    if (!isfinite(v))
        snprintf(buf, n, "-");
    else if (m == CMP_M_GFLOPS)
        snprintf(buf, n, "%.1f", v);
    else if (disp(m, v) >= 1000)
        snprintf(buf, n, "%.1f", disp(m, v));
    else if (disp(m, v) >= 1)
        snprintf(buf, n, "%.3f", disp(m, v));
    else
        snprintf(buf, n, "%.4f", disp(m, v));
}

static void fmt_p(double p, char *buf, size_t n)
{
    if (isnan(p))
        snprintf(buf, n, "-");
    else if (p < 0.001)
        snprintf(buf, n, "<0.001");
    else
        snprintf(buf, n, "%.3f", p);
}

/* The case as the axes that vary among the compared rows ("cin=256
 * spatial=64"); the whole key when none varies or it did not parse. */
static void case_label(const ab_cmp *c, const ab_cmp_row *r, char *buf, size_t n)
{
    int vary[AX_COUNT] = {0}, any = 0;
    for (size_t i = 0; i < c->ngroups; i++)
        vary[c->groups[i].axis] = any = 1;
    if (!r->kc_ok || !any) {
        ab_strlcpy(buf, r->base->key, n);
        return;
    }
    size_t len = 0;
    buf[0] = '\0';
    for (int a = 0; a < AX_COUNT && len < n; a++) {
        if (!vary[a] || (a == AX_COUT && vary[AX_CIN] && r->kc.v[AX_COUT] == r->kc.v[AX_CIN]))
            continue; /* cout that follows cin adds nothing */
        char v[32];
        axis_format_value(&ab_axes[a], r->kc.v[a], v, sizeof v);
        /* (pieces put together without snprintf: two labels a row, 100,000s of rows) */
        const char *part[] = {len ? " " : "", ab_axes[a].name, "=", v};
        for (size_t k = 0; k < 4 && len < n; k++) {
            ab_strlcpy(buf + len, part[k], n - len);
            len += strlen(buf + len);
        }
    }
}

/* 1 when cout equals cin in every compared case: its groups repeat cin's. */
static int cout_follows_cin(const ab_cmp *c)
{
    for (size_t i = 0; i < c->nrows; i++)
        if (c->rows[i].kc_ok && c->rows[i].kc.v[AX_COUT] != c->rows[i].kc.v[AX_CIN])
            return 0;
    return 1;
}

static const char *direction(ab_cmp_metric m)
{
    return ab_cmp_metrics[m].higher_is_better ? "higher is better: ratio > 1 is faster"
                                              : "lower is better: ratio < 1 is faster";
}

/* ---- terminal table ---- */

static void context_table(FILE *f, const ab_cmp_view *v, int colour)
{
    fprintf(f, "%sBASE%s  %s\n%sOTHER%s %s\n\n", ansi(colour, C_BOLD), ansi(colour, C_OFF), v->base_name,
            ansi(colour, C_BOLD), ansi(colour, C_OFF), v->other_name);
    fprintf(f, "  %-12s %-32s %s\n", "", "BASE", "OTHER");
    for (int i = 0; i < CMP_META_FIELDS; i++) {
        const ab_cmp_meta_field *m = &v->ctx->f[i];
        fprintf(f, "%c %-12s %-32s %s\n", m->differs ? '*' : ' ', m->name, m->base[0] ? m->base : "?",
                m->other[0] ? m->other : "?");
    }
    fprintf(f, "  (* differs)\n");
    for (int i = 0; i < 3; i++)
        if (v->ctx->note[i][0])
            fprintf(f, "%snote: %s%s\n", ansi(colour, C_YELLOW), v->ctx->note[i], ansi(colour, C_OFF));
    fputc('\n', f);
}

static void list_keys(FILE *f, const char *title, const ab_record *const *r, size_t n)
{
    if (!n)
        return;
    fprintf(f, "%s (%zu):\n", title, n);
    for (size_t i = 0; i < n && i < LIST_MAX; i++)
        fprintf(f, "  %s\n", r[i]->key);
    if (n > LIST_MAX)
        fprintf(f, "  ... and %zu more (--format csv or json lists all)\n", n - LIST_MAX);
}

static void list_pairs(FILE *f, const char *title, const ab_cmp_pair *p, size_t n)
{
    if (!n)
        return;
    fprintf(f, "%s (%zu):\n", title, n);
    for (size_t i = 0; i < n && i < LIST_MAX; i++) {
        fprintf(f, "  %s: %s -> %s", p[i].base->key, status_name(p[i].base->status),
                status_name(p[i].other->status));
        const char *why = p[i].other->reason[0] ? p[i].other->reason : p[i].base->reason;
        if (strcmp(p[i].why, "status differs") && strcmp(p[i].why, "not ok on either side"))
            why = p[i].why;
        if (why[0])
            fprintf(f, " (%s)", why);
        fputc('\n', f);
    }
    if (n > LIST_MAX)
        fprintf(f, "  ... and %zu more (--format csv or json lists all)\n", n - LIST_MAX);
}

static void summary_text(FILE *f, const ab_cmp *c, int colour)
{
    fprintf(f, "compared %zu of %zu cases in common: ", c->nrows, compare_joined(c));
    for (int k = 0; k < CMP_CLASS_COUNT; k++)
        fprintf(f, "%s%s%zu %s%s", k ? ", " : "", ansi(colour, class_colour((ab_cmp_class)k)), c->counts[k],
                cmp_class_name((ab_cmp_class)k), ansi(colour, C_OFF));
    fputc('\n', f);
    if (c->ncontended)
        fprintf(f,
                "%s%zu of %zu cases were measured under contention (host load; marked '!'): their changes "
                "may be the host's, not the engine's%s\n",
                ansi(colour, C_YELLOW), c->ncontended, c->nrows, ansi(colour, C_OFF));
    if (c->nwhatif)
        fprintf(f,
                "%sWHAT-IF: %zu of %zu cases compare hardware times a simulator modelled (ane-sim:m5-hw's "
                "hwExecutionTime): no real run produced them%s\n",
                ansi(colour, C_YELLOW), c->nwhatif, c->nrows, ansi(colour, C_OFF));
    if (c->rounds_base > 1 || c->rounds_other > 1)
        fprintf(f,
                "rounds (--repeat): %d in BASE, %d in OTHER; values are the median of the rounds' medians, "
                "\"spread\" the range between rounds; %zu change(s) left unclear because the rounds "
                "overlapped\n",
                c->rounds_base, c->rounds_other, c->nrounds_overlap);
    if (isfinite(c->geomean))
        fprintf(f, "geomean ratio OTHER/BASE: %.3f (%+.1f%%)\n", c->geomean, (c->geomean - 1) * 100);
    int axis = -1, col = 0, skip_cout = cout_follows_cin(c);
    for (size_t i = 0; i < c->ngroups; i++) {
        const ab_cmp_group *g = &c->groups[i];
        if (g->axis == AX_COUT && skip_cout)
            continue;
        if (g->axis != axis) {
            fprintf(f, "%s  %-10s", axis < 0 ? "by axis (geomean ratio, cases):\n" : "\n",
                    ab_axes[g->axis].name);
            axis = g->axis;
            col = 12;
        }
        char item[96];
        int len = snprintf(item, sizeof item, " %s: %.3f (%zu)", g->label, g->geomean, g->n);
        if (col + len > 100) { /* wrap under the axis name */
            fprintf(f, "\n%12s", "");
            col = 12;
        }
        fputs(item, f);
        col += len;
    }
    if (axis >= 0)
        fputc('\n', f);
}

/* "  4.1%/0.8%": the spread between each side's rounds ("-" for one round);
 * "  (rounds overlap)" added where that kept a change from being called. */
static void fmt_spread(const ab_cmp_row *r, char *buf, size_t n)
{
    char b[16] = "-", o[16] = "-";
    if (isfinite(r->spread_base_pct))
        snprintf(b, sizeof b, "%.1f%%", r->spread_base_pct);
    if (isfinite(r->spread_other_pct))
        snprintf(o, sizeof o, "%.1f%%", r->spread_other_pct);
    snprintf(buf, n, "  %s/%s%s", b, o,
             r->rounds_overlap && r->significant && r->cls == CMP_UNCLEAR ? " (rounds overlap)" : "");
}

void render_cmp_table(FILE *f, const ab_cmp_view *v, int colour)
{
    const ab_cmp *c = v->c;
    ab_cmp_metric m = c->opts.metric;
    fprintf(f, "%sanebench compare%s: %s (%s, %s); same within %g%%, alpha %g\n", ansi(colour, C_BOLD),
            ansi(colour, C_OFF), ab_cmp_metrics[m].name, ab_cmp_metrics[m].help, direction(m),
            c->opts.threshold_pct, c->opts.alpha);
    context_table(f, v, colour);

    int w = 4;
    char label[AB_KEY_MAX];
    for (size_t i = 0; i < c->nrows; i++) {
        case_label(c, &c->rows[i], label, sizeof label);
        int l = (int)strlen(label);
        w = l > w ? l : w;
    }
    char hb[32], ho[32];
    snprintf(hb, sizeof hb, "base %s", disp_unit(m));
    snprintf(ho, sizeof ho, "other %s", disp_unit(m));
    int rounds = c->rounds_base > 1 || c->rounds_other > 1;
    fprintf(f, "%-*s %12s %12s %7s %8s  %-8s %-4s %7s%s\n", w, "case", hb, ho, "ratio", "change", "class",
            "test", "p", rounds ? "  spread base/other" : "");
    for (size_t i = 0; i < c->nrows; i++) {
        const ab_cmp_row *r = &c->rows[i];
        char vb[32], vo[32], p[16];
        case_label(c, r, label, sizeof label);
        fmt_value(m, r->vbase, vb, sizeof vb);
        fmt_value(m, r->vother, vo, sizeof vo);
        fmt_p(r->p, p, sizeof p);
        char spread[48] = "";
        if (rounds)
            fmt_spread(r, spread, sizeof spread);
        fprintf(f, "%-*s %12s %12s %7.3f %+7.1f%%  %s%-8s%s %-4s %7s%s%s\n", w, label, vb, vo, r->ratio,
                r->change_pct, ansi(colour, class_colour(r->cls)), cmp_class_name(r->cls),
                ansi(colour, C_OFF), cmp_test_name(r->test), p, spread, r->contended ? " !" : "");
    }
    fputc('\n', f);
    summary_text(f, c, colour);
    list_pairs(f, "status differs (listed apart, not averaged in)", c->differs, c->ndiffers);
    list_pairs(f, "not compared", c->uncompared, c->nuncompared);
    list_keys(f, "only in BASE", c->base_only, c->nbase_only);
    list_keys(f, "only in OTHER", c->other_only, c->nother_only);
    if (c->dup_base || c->dup_other)
        fprintf(f, "repeated keys: %zu in BASE, %zu in OTHER (the last record of each key was used)\n",
                c->dup_base, c->dup_other);
}

/* ---- markdown ---- */

/* A table cell: '|' escaped, newlines flattened. */
static void md_cell(FILE *f, const char *s)
{
    fputc(' ', f);
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
    fputs(" |", f);
}

static void md_keys(FILE *f, const char *title, const ab_record *const *r, size_t n)
{
    if (!n)
        return;
    fprintf(f, "\n**%s** (%zu):\n\n", title, n);
    for (size_t i = 0; i < n && i < LIST_MAX; i++)
        fprintf(f, "- `%s`\n", r[i]->key);
    if (n > LIST_MAX)
        fprintf(f, "- ... and %zu more\n", n - LIST_MAX);
}

static void md_pairs(FILE *f, const char *title, const ab_cmp_pair *p, size_t n)
{
    if (!n)
        return;
    fprintf(f, "\n**%s** (%zu):\n\n|case|base status|other status|why|\n|---|---|---|---|\n", title, n);
    for (size_t i = 0; i < n && i < LIST_MAX; i++) {
        fputc('|', f);
        md_cell(f, p[i].base->key);
        md_cell(f, status_name(p[i].base->status));
        md_cell(f, status_name(p[i].other->status));
        md_cell(f, p[i].other->reason[0]  ? p[i].other->reason
                   : p[i].base->reason[0] ? p[i].base->reason
                                          : p[i].why);
        fputc('\n', f);
    }
    if (n > LIST_MAX)
        fprintf(f, "\n... and %zu more\n", n - LIST_MAX);
}

#define MD_TOP_CHANGES 10 /* cases in the "largest changes" table */
#define MD_FOLD_ROWS 12   /* longer tables fold into <details> */

/* How far a case moved: |log ratio|; NAN (ranked last) when no ratio. */
static double change_size(const ab_cmp_row *r)
{
    return isfinite(r->ratio) && r->ratio > 0 ? fabs(log(r->ratio)) : NAN;
}

typedef struct {
    double size;
    size_t row;
} md_ranked;

static int md_by_size(const void *a, const void *b)
{
    const md_ranked *x = a, *y = b;
    int xn = isnan(x->size), yn = isnan(y->size);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->size != y->size)
        return x->size < y->size ? 1 : -1;
    return (x->row > y->row) - (x->row < y->row);
}

static int md_by_row(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Rows of c to list: the k largest changes (all rows when k >= nrows), in
 * table order unless by_size; only_changed keeps classes other than same.
 * Returns the count; *idx malloc'd. */
static size_t md_pick(const ab_cmp *c, size_t k, int only_changed, int by_size, size_t **idx)
{
    md_ranked *r = malloc((c->nrows ? c->nrows : 1) * sizeof *r);
    *idx = malloc((c->nrows ? c->nrows : 1) * sizeof **idx);
    if (!r || !*idx) {
        free(r);
        free(*idx);
        *idx = NULL;
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < c->nrows; i++)
        if (!only_changed || c->rows[i].cls != CMP_SAME)
            r[n++] = (md_ranked){change_size(&c->rows[i]), i};
    qsort(r, n, sizeof *r, md_by_size);
    if (k > n)
        k = n;
    for (size_t i = 0; i < k; i++)
        (*idx)[i] = r[i].row;
    free(r);
    if (!by_size)
        qsort(*idx, k, sizeof **idx, md_by_row);
    return k;
}

static void md_case_table(FILE *f, const ab_cmp *c, const size_t *idx, size_t n)
{
    ab_cmp_metric m = c->opts.metric;
    fprintf(f, "| case | base (%s) | other (%s) | ratio | change | class | test | p |\n", disp_unit(m),
            disp_unit(m));
    fprintf(f, "|---|---:|---:|---:|---:|---|---|---:|\n");
    char label[AB_KEY_MAX], vb[32], vo[32], p[16], num[32];
    for (size_t i = 0; i < n; i++) {
        const ab_cmp_row *r = &c->rows[idx[i]];
        case_label(c, r, label, sizeof label);
        fmt_value(m, r->vbase, vb, sizeof vb);
        fmt_value(m, r->vother, vo, sizeof vo);
        fmt_p(r->p, p, sizeof p);
        fputc('|', f);
        md_cell(f, label);
        md_cell(f, vb);
        md_cell(f, vo);
        snprintf(num, sizeof num, "%.3f", r->ratio);
        md_cell(f, num);
        snprintf(num, sizeof num, "%+.1f%%", r->change_pct);
        md_cell(f, num);
        snprintf(num, sizeof num, r->cls == CMP_SAME ? "%s%s%s" : "**%s**%s%s", cmp_class_name(r->cls),
                 r->contended ? " (contended)" : "",
                 r->rounds_overlap && r->significant && r->cls == CMP_UNCLEAR ? " (rounds overlap)" : "");
        md_cell(f, num);
        md_cell(f, cmp_test_name(r->test));
        md_cell(f, p);
        fputc('\n', f);
    }
}

/* The section, its full case table cut to the `listed` largest changes. */
static void md_section(FILE *f, const ab_cmp_view *v, size_t listed)
{
    const ab_cmp *c = v->c;
    ab_cmp_metric m = c->opts.metric;
    fprintf(f, "### anebench compare: `%s` vs `%s`\n\n", v->base_name, v->other_name);
    fprintf(f, "Metric **%s** (%s; %s); *same* within %g%%, alpha %g.\n\n", ab_cmp_metrics[m].name,
            ab_cmp_metrics[m].help, direction(m), c->opts.threshold_pct, c->opts.alpha);
    /* the summary first: what a reader of a comment wants to know */
    fprintf(f, "**Summary:** %zu of %zu cases in common compared:", c->nrows, compare_joined(c));
    for (int k = 0; k < CMP_CLASS_COUNT; k++)
        fprintf(f, "%s %zu %s", k ? "," : "", c->counts[k], cmp_class_name((ab_cmp_class)k));
    if (isfinite(c->geomean))
        fprintf(f, "; geomean ratio OTHER/BASE **%.3f** (%+.1f%%)", c->geomean, (c->geomean - 1) * 100);
    fprintf(f, ".\n\n");
    if (c->nwhatif)
        fprintf(f,
                "> **WHAT-IF:** %zu of %zu cases compare hardware times a simulator modelled "
                "(ane-sim:m5-hw's hwExecutionTime): no real run produced them.\n\n",
                c->nwhatif, c->nrows);
    if (c->rounds_base > 1 || c->rounds_other > 1)
        fprintf(f,
                "> **Note:** rounds (--repeat): %d in BASE, %d in OTHER; values are the median of the "
                "rounds' medians; %zu change(s) left unclear because the rounds overlapped (marked "
                "*rounds overlap*).\n\n",
                c->rounds_base, c->rounds_other, c->nrounds_overlap);
    if (c->ncontended)
        fprintf(f,
                "> **Note:** %zu of %zu cases were measured under contention (host load; marked "
                "*contended*): their changes may be the host's, not the engine's.\n\n",
                c->ncontended, c->nrows);
    for (int i = 0; i < 3; i++)
        if (v->ctx->note[i][0])
            fprintf(f, "> **Note:** %s\n\n", v->ctx->note[i]);
    fprintf(f, "| | BASE | OTHER |\n|---|---|---|\n");
    for (int i = 0; i < CMP_META_FIELDS; i++) {
        const ab_cmp_meta_field *mf = &v->ctx->f[i];
        char name[64];
        snprintf(name, sizeof name, mf->differs ? "**%s**" : "%s", mf->name);
        fputc('|', f);
        md_cell(f, name);
        md_cell(f, mf->base[0] ? mf->base : "?");
        md_cell(f, mf->other[0] ? mf->other : "?");
        fputc('\n', f);
    }

    size_t *idx = NULL, n = md_pick(c, MD_TOP_CHANGES, 1, 1, &idx);
    if (n) {
        fprintf(f, "\n**Largest changes** (%zu of the %zu cases not *same*):\n\n", n,
                c->nrows - c->counts[CMP_SAME]);
        md_case_table(f, c, idx, n);
    }
    free(idx);

    if (c->ngroups) {
        int skip_cout = cout_follows_cin(c);
        size_t shown = 0;
        for (size_t i = 0; i < c->ngroups; i++)
            shown += !(c->groups[i].axis == AX_COUT && skip_cout);
        int fold = shown > MD_FOLD_ROWS;
        if (fold)
            fprintf(f, "\n<details><summary>Geomean ratio per axis value (%zu rows)</summary>\n", shown);
        fprintf(f, "\n| axis | value | cases | geomean ratio |\n|---|---|---:|---:|\n");
        for (size_t i = 0; i < c->ngroups; i++)
            if (!(c->groups[i].axis == AX_COUT && skip_cout))
                fprintf(f, "| %s | %s | %zu | %.3f |\n", ab_axes[c->groups[i].axis].name, c->groups[i].label,
                        c->groups[i].n, c->groups[i].geomean);
        if (fold)
            fprintf(f, "\n</details>\n");
    }

    n = md_pick(c, listed, 0, 0, &idx);
    if (c->nrows) {
        fprintf(f, "\n<details><summary>%s %zu cases compared</summary>\n\n", n < c->nrows ? "The" : "All",
                c->nrows);
        md_case_table(f, c, idx, n);
        if (n < c->nrows)
            fprintf(f,
                    "\n%zu of %zu cases listed (the largest changes), to fit in one GitHub comment; "
                    "`--format csv` or `--format table` lists every case.\n",
                    n, c->nrows);
        fprintf(f, "\n</details>\n");
    }
    free(idx);
    md_pairs(f, "Status differs (listed apart, not averaged in)", c->differs, c->ndiffers);
    md_pairs(f, "Not compared", c->uncompared, c->nuncompared);
    md_keys(f, "Only in BASE", c->base_only, c->nbase_only);
    md_keys(f, "Only in OTHER", c->other_only, c->nother_only);
}

void render_cmp_md(FILE *f, const ab_cmp_view *v, size_t budget)
{
    size_t listed = v->c->nrows;
    for (;;) {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = budget ? open_memstream(&buf, &len) : NULL;
        if (!m) {
            md_section(f, v, listed); /* no budget (or no memory to measure): everything */
            return;
        }
        md_section(m, v, listed);
        int bad = fclose(m) != 0;
        if (bad || len <= budget || listed == 0) {
            if (!bad)
                fwrite(buf, 1, len, f);
            free(buf);
            return;
        }
        free(buf);
        /* too long for a comment: list fewer cases, the largest changes first kept */
        listed = listed * 3 / 4 < listed - 1 ? listed * 3 / 4 : listed - 1;
    }
}

/* ---- CSV ---- */

static void csv_row(FILE *f, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        const char *s = fields[i] ? fields[i] : "";
        if (*s)
            csv_fwrite(f, s, strlen(s));
    }
    fputc('\n', f);
}

static const char *const csv_cols[] = {"base_run",
                                       "other_run",
                                       "key",
                                       "metric",
                                       "unit",
                                       "base",
                                       "other",
                                       "ratio",
                                       "change_pct",
                                       "class",
                                       "test",
                                       "p",
                                       "base_status",
                                       "other_status",
                                       "simulated",
                                       "contended",
                                       "rounds_base",
                                       "rounds_other",
                                       "round_spread_base_pct",
                                       "round_spread_other_pct",
                                       "whatif"};
#define NCOLS (sizeof csv_cols / sizeof csv_cols[0])

void render_cmp_csv_header(FILE *f)
{
    csv_row(f, csv_cols, NCOLS);
}

static void num(char *buf, size_t n, double v)
{
    if (isfinite(v))
        snprintf(buf, n, "%.17g", v);
    else
        buf[0] = '\0';
}

static void csv_case(FILE *f, const ab_cmp_view *v, const ab_record *b, const ab_record *o,
                     const ab_cmp_row *r, const char *cls)
{
    const ab_cmp_metric_def *m = &ab_cmp_metrics[v->c->opts.metric];
    char vb[32] = "", vo[32] = "", ratio[32] = "", change[32] = "", p[32] = "";
    char rb[16] = "", ro[16] = "", sb[32] = "", so[32] = "";
    /* the hw metric on a simulator's hw figures: a what-if, also on rows apart */
    int whatif = v->c->opts.metric == CMP_M_HW && ((b && record_hw_whatif(b)) || (o && record_hw_whatif(o)));
    if (b)
        snprintf(rb, sizeof rb, "%d", b->n_rounds > 1 ? b->n_rounds : 1);
    if (o)
        snprintf(ro, sizeof ro, "%d", o->n_rounds > 1 ? o->n_rounds : 1);
    if (r) {
        num(sb, sizeof sb, r->spread_base_pct);
        num(so, sizeof so, r->spread_other_pct);
        num(vb, sizeof vb, r->vbase);
        num(vo, sizeof vo, r->vother);
        num(ratio, sizeof ratio, r->ratio);
        num(change, sizeof change, r->change_pct);
        num(p, sizeof p, r->p);
    }
    const char *fields[NCOLS] = {v->base_name,
                                 v->other_name,
                                 b ? b->key : o->key,
                                 m->name,
                                 m->unit,
                                 vb,
                                 vo,
                                 ratio,
                                 change,
                                 cls,
                                 r ? cmp_test_name(r->test) : "",
                                 p,
                                 b ? status_name(b->status) : "",
                                 o ? status_name(o->status) : "",
                                 (b && b->simulated) || (o && o->simulated) ? "true" : "false",
                                 (b && b->contended == 1) || (o && o->contended == 1) ? "true" : "false",
                                 rb,
                                 ro,
                                 sb,
                                 so,
                                 whatif ? "true" : "false"};
    csv_row(f, fields, NCOLS);
}

void render_cmp_csv(FILE *f, const ab_cmp_view *v)
{
    const ab_cmp *c = v->c;
    for (size_t i = 0; i < c->nrows; i++)
        csv_case(f, v, c->rows[i].base, c->rows[i].other, &c->rows[i], cmp_class_name(c->rows[i].cls));
    for (size_t i = 0; i < c->ndiffers; i++)
        csv_case(f, v, c->differs[i].base, c->differs[i].other, NULL, "status-differs");
    for (size_t i = 0; i < c->nuncompared; i++)
        csv_case(f, v, c->uncompared[i].base, c->uncompared[i].other, NULL, "not-compared");
    for (size_t i = 0; i < c->nbase_only; i++)
        csv_case(f, v, c->base_only[i], NULL, NULL, "base-only");
    for (size_t i = 0; i < c->nother_only; i++)
        csv_case(f, v, NULL, c->other_only[i], NULL, "other-only");
}

/* ---- probe reports ---- */

static const char *or_absent(const char *s)
{
    return s[0] ? s : "(absent)";
}

void render_probe_table(FILE *f, const ab_probe_cmp *p, const char *base, const char *other, int colour)
{
    fprintf(f, "%sanebench compare%s: probe reports (capabilities)\n%sBASE%s  %s\n%sOTHER%s %s\n\n",
            ansi(colour, C_BOLD), ansi(colour, C_OFF), ansi(colour, C_BOLD), ansi(colour, C_OFF), base,
            ansi(colour, C_BOLD), ansi(colour, C_OFF), other);
    fprintf(f, "  %-12s %-28s %s\n", "", "BASE", "OTHER");
    for (int i = 0; i < PROBE_META_FIELDS; i++)
        fprintf(f, "%c %-12s %-28s %s\n", p->f[i].differs ? '*' : ' ', p->f[i].name,
                p->f[i].base[0] ? p->f[i].base : "?", p->f[i].other[0] ? p->f[i].other : "?");
    fprintf(f, "  (* differs)\n");
    if (p->simulated_mix)
        fprintf(f, "%snote: one report is simulated (a model of the ANE), the other measured%s\n",
                ansi(colour, C_YELLOW), ansi(colour, C_OFF));
    else if (p->any_simulated)
        fprintf(f, "%snote: simulated reports: these findings come from a model, not hardware%s\n",
                ansi(colour, C_YELLOW), ansi(colour, C_OFF));
    fprintf(f, "\n  %-22s %-12s %-12s\n", "probe", "BASE", "OTHER");
    for (size_t i = 0; i < p->nrows; i++) {
        const ab_probe_row *r = &p->rows[i];
        fprintf(f, "%c %-22s %-12s %s%-12s%s\n", r->differs ? '*' : ' ', r->name, or_absent(r->base_result),
                ansi(colour, r->differs ? C_YELLOW : C_OFF), or_absent(r->other_result), ansi(colour, C_OFF));
        if (r->differs) {
            if (r->base_finding[0])
                fprintf(f, "      BASE:  %s\n", r->base_finding);
            if (r->other_finding[0])
                fprintf(f, "      OTHER: %s\n", r->other_finding);
        }
        for (size_t k = 0; k < r->nfigs; k++)
            if (r->figs[k].differs)
                fprintf(f, "      %-24s %.36s%s -> %.36s%s\n", r->figs[k].name, or_absent(r->figs[k].base),
                        strlen(r->figs[k].base) > 36 ? "..." : "", or_absent(r->figs[k].other),
                        strlen(r->figs[k].other) > 36 ? "..." : "");
    }
    fprintf(f, "\n%zu of %zu probes differ in result\n", p->ndiffer, p->nrows);
}

void render_probe_md(FILE *f, const ab_probe_cmp *p, const char *base, const char *other)
{
    fprintf(f, "### anebench compare: probe reports `%s` vs `%s`\n\n| | BASE | OTHER |\n|---|---|---|\n",
            base, other);
    for (int i = 0; i < PROBE_META_FIELDS; i++) {
        char name[64];
        snprintf(name, sizeof name, p->f[i].differs ? "**%s**" : "%s", p->f[i].name);
        fputc('|', f);
        md_cell(f, name);
        md_cell(f, p->f[i].base[0] ? p->f[i].base : "?");
        md_cell(f, p->f[i].other[0] ? p->f[i].other : "?");
        fputc('\n', f);
    }
    if (p->any_simulated)
        fprintf(f, "\n> **Note:** %s\n",
                p->simulated_mix ? "one report is simulated (a model of the ANE), the other measured"
                                 : "simulated reports: these findings come from a model, not hardware");
    fprintf(f, "\n| probe | BASE | OTHER | differs | figures that differ |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < p->nrows; i++) {
        const ab_probe_row *r = &p->rows[i];
        char figs[1024] = "";
        size_t len = 0;
        for (size_t k = 0; k < r->nfigs && len < sizeof figs; k++)
            if (r->figs[k].differs)
                len += (size_t)snprintf(figs + len, sizeof figs - len, "%s%s: %s → %s", len ? "; " : "",
                                        r->figs[k].name, or_absent(r->figs[k].base),
                                        or_absent(r->figs[k].other));
        fputc('|', f);
        md_cell(f, r->name);
        md_cell(f, or_absent(r->base_result));
        md_cell(f, or_absent(r->other_result));
        md_cell(f, r->differs ? "**yes**" : "no");
        md_cell(f, figs);
        fputc('\n', f);
    }
    fprintf(f, "\n**%zu of %zu probes differ in result.**\n", p->ndiffer, p->nrows);
}

void render_probe_csv(FILE *f, const ab_probe_cmp *p, const char *base, const char *other)
{
    static const char *const cols[] = {"base_run", "other_run", "probe",   "figure",
                                       "base",     "other",     "differs", "simulated"};
    const char *sim = p->any_simulated ? "true" : "false"; /* a side is a model */
    csv_row(f, cols, 8);
    for (size_t i = 0; i < p->nrows; i++) {
        const ab_probe_row *r = &p->rows[i];
        const char *row[8] = {
            base, other, r->name, "result", r->base_result, r->other_result, r->differs ? "1" : "0", sim};
        csv_row(f, row, 8);
        for (size_t k = 0; k < r->nfigs; k++) {
            const char *fr[8] = {base,
                                 other,
                                 r->name,
                                 r->figs[k].name,
                                 r->figs[k].base,
                                 r->figs[k].other,
                                 r->figs[k].differs ? "1" : "0",
                                 sim};
            csv_row(f, fr, 8);
        }
    }
}
