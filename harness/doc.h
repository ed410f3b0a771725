/* doc.h: a small document writer for the reports: headings, paragraphs,
 * tables and collapsible sections, written as GitHub markdown, plain text
 * or self-contained HTML from the same calls.
 *
 * Every text handed in is plain text: it is escaped for the format (a
 * key, a reason or a chip name taken from a results file cannot become
 * markup: no table break in markdown, no tag in HTML). Markdown uses no
 * raw HTML except <details>/<summary>, which GitHub renders. */
#ifndef AB_DOC_H
#define AB_DOC_H

#include <stddef.h>
#include <stdio.h>

typedef enum { DOC_MD, DOC_TXT, DOC_HTML } doc_format;

typedef struct doc {
    FILE *f;
    doc_format fmt;
    int in_para;
} doc;

/* A table: columns with a header and an alignment, rows of cells (copies). */
typedef struct doc_table {
    size_t ncol;
    char **head;  /* ncol */
    char *align;  /* 'l' or 'r' per column */
    char **cell;  /* nrows * ncol; NULL = empty */
    double *rank; /* per row: the value --top ranks by (higher first); NAN = last */
    size_t nrows, cap;
} doc_table;

/* 0, or -1 when out of memory. */
int dt_init(doc_table *t, size_t ncol);
void dt_free(doc_table *t);
void dt_head(doc_table *t, size_t col, const char *text, char align);
/* Adds an empty row and returns its index, or (size_t)-1 when out of memory. */
size_t dt_row(doc_table *t);
void dt_set(doc_table *t, size_t row, size_t col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Indices of the rows to show: all (top = 0 or >= nrows), else the top
 * rows by rank (ties: earlier first), in table order. Returns the count;
 * *idx is malloc'd (caller frees), NULL when out of memory. */
size_t dt_pick(const doc_table *t, size_t top, size_t **idx);

void doc_begin(doc *d, FILE *f, doc_format fmt, const char *title);
void doc_end(doc *d);
void doc_heading(doc *d, int level, const char *text);
/* A paragraph built from pieces: plain text, strong text, code. */
void doc_p(doc *d);
void doc_text(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_strong(doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void doc_code(doc *d, const char *text);
void doc_p_end(doc *d);
/* A bulleted list item (a paragraph of its own kind): doc_li, pieces, doc_li_end. */
void doc_li(doc *d);
void doc_li_end(doc *d);
/* Writes the rows idx[0..nidx) of t. */
void doc_table_write(doc *d, const doc_table *t, const size_t *idx, size_t nidx);
/* A collapsible section (markdown and HTML <details>; plain text: a
 * heading line), then the content, then doc_details_end. */
void doc_details(doc *d, const char *summary);
void doc_details_end(doc *d);
/* Raw format-specific text, written as it is (charts in HTML). */
void doc_raw(doc *d, const char *text, size_t len);

#endif
