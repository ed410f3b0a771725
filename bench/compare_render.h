/* compare_render.h: the human and tabular forms of `anebench compare`
 * (terminal table, GitHub markdown, CSV via libcsv); JSON comes from
 * compare_to_json / probe_compare_to_json. Printers never compute. */
#ifndef AB_COMPARE_RENDER_H
#define AB_COMPARE_RENDER_H

#include <stdio.h>
#include "harness/compare.h"
#include "harness/probe_compare.h"

typedef struct ab_cmp_view {
    const ab_cmp *c;
    const ab_cmp_context *ctx;
    const char *base_name, *other_name;
} ab_cmp_view;

/* Terminal table; colour = 1 adds ANSI colours to classes and notes. */
void render_cmp_table(FILE *f, const ab_cmp_view *v, int colour);
/* A GitHub-flavoured markdown section: summary first, the runs' facts, the
 * largest changes, per-axis geomeans, then every case in <details>. With
 * budget > 0 it takes at most budget bytes (a GitHub comment holds 65,536
 * characters): the case table is cut to its largest changes until it fits,
 * and says so. */
void render_cmp_md(FILE *f, const ab_cmp_view *v, size_t budget);
/* CSV: the header line once, then one row per case (classified, listed
 * apart, or on one side only) of each comparison. */
void render_cmp_csv_header(FILE *f);
void render_cmp_csv(FILE *f, const ab_cmp_view *v);

void render_probe_table(FILE *f, const ab_probe_cmp *p, const char *base, const char *other, int colour);
void render_probe_md(FILE *f, const ab_probe_cmp *p, const char *base, const char *other);
void render_probe_csv(FILE *f, const ab_probe_cmp *p, const char *base, const char *other);

#endif
