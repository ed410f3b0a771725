/* plotdata.h: turns loaded runs into the tidy .dat files that the gnuplot
 * scripts in plots/ draw, and says which charts have data.
 *
 * A .dat file starts with comment lines (what it holds, where from, its
 * columns with units, how to render it), then one block per series,
 * blocks separated by two blank lines (gnuplot's `index`). A block's first
 * row is a header whose first cell is the series title (gnuplot's
 * `title columnheader(1)`) and whose other cells name the columns.
 * Only cases with status ok are drawn. A chart whose selection finds no
 * series worth a line (fewer than two points, or nothing at all) is not
 * written: its entry in the list says why.
 *
 * Charts of one run: gflops_vs_channels, gflops_vs_spatial, phases, qos,
 * procedure, rt_vs_normal, wall_vs_hw, roofline. Of two or more runs
 * (the first is BASE): overlay and ratio, plus every one-run chart of
 * each run with a "runN-<label>-" prefix. */
#ifndef AB_PLOTDATA_H
#define AB_PLOTDATA_H

#include <stddef.h>
#include "harness/error.h"
#include "harness/plotrun.h"
#include "harness/reader.h"

typedef struct ab_chart {
    char script[32];   /* the script plots/<script>.gp */
    char base[1024];   /* output path without extension, <dir>/<prefix><script> */
    char dat[1040];    /* <base>.dat (written when has_data) */
    char file[1100];   /* where the .dat was written: dat, or <stage>/<name>.dat */
    int has_data;      /* 0: nothing to draw, dat not written */
    char why[160];     /* has_data = 0: the reason, one line */
    char title[1024];  /* run line(s): chip or host | backend | SIMULATED | date; one per run */
    char note[256];    /* last title line: what was selected ("" if nothing to say) */
    int simulated;     /* a run drawn is simulated (gnuplot `simulated`: the watermark) */
    double peak;       /* peak GFLOPS of the chip (gnuplot `peak`), NAN unknown */
    int nser;          /* overlay: series per run (`nser`), else 0 */
    char peaks[128];   /* overlay: each run's peak GFLOPS, "nan" unknown (`peaks`) */
    char runs[512];    /* overlay: each run's legend name, quoted words (`runs`) */
    char series[1024]; /* overlay: each series' name, quoted words (`series`) */
} ab_chart;

typedef struct ab_chartlist {
    ab_chart *v;
    size_t n, cap;
    const char *stage; /* plotdata_write_staged's stage, or NULL */
} ab_chartlist;

/* Writes the .dat files of every chart the runs have data for into dir
 * (which must exist) and lists every chart, drawn or not, in *out
 * (caller frees with chartlist_free). plots is the folder of the .gp
 * scripts named in each file's render line (NULL: "plots", relative to the
 * source tree). AB_EUSAGE when a file cannot be written (the message
 * names it). */
int plotdata_write_all(const ab_run *runs, size_t nruns, const char *dir, const char *plots,
                       ab_chartlist *out, ab_err *e);
/* The same, but the files are written into stage (a private folder) under
 * their names in dir (each chart's file); the names, titles and render
 * lines still say dir, where the caller moves them. */
int plotdata_write_staged(const ab_run *runs, size_t nruns, const char *dir, const char *stage,
                          const char *plots, ab_chartlist *out, ab_err *e);
void chartlist_free(ab_chartlist *l);

/* The shell command that renders a chart from any folder:
 * gnuplot -c '<plots>/<script>.gp' '<dat>' '<out>' '<fmt>' (absolute
 * paths; plots NULL: "plots"). gnuplot takes the words after the script
 * as values, never as commands; every word is quoted by ab_shell_word, so
 * the command is one line whatever a path holds. Returns 0. */
int plot_render_cmd(const ab_chart *c, const char *fmt, const char *plots, char *buf, size_t n);

#endif
