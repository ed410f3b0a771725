/* plotrun.h: how the charts (and their callers) name a run (plotrun.c). */
#ifndef AB_PLOTRUN_H
#define AB_PLOTRUN_H

#include <stddef.h>
#include "harness/reader.h"

/* "Apple M5 | ane | 2026-03-01", "host x86 | ane-sim:m5 | SIMULATED | 2026-11-25":
 * chip (or host name, or the file's name), backend, SIMULATED when it is,
 * date of the run. From the run info when present, else from the records. */
void plot_run_title(const ab_run *run, char *buf, size_t n);
/* Short name of a run in legends: "ane-sim:m5", "Apple M5 ane", "cpu". */
void plot_run_label(const ab_run *run, char *buf, size_t n);
/* The legend names of several runs, lab[i] for runs[i] (n bytes each):
 * plot_run_label, made distinct where runs share one by adding the run's
 * folder (or file) name, else its number ("cpu (20261125T1801-box-cpu)"). */
void plot_run_labels(const ab_run *runs, size_t nruns, char *lab, size_t n);
#define PLOT_LABEL_MAX 128
/* 1 when the run (its run info, or any record) is simulated. */
int plot_run_simulated(const ab_run *run);
/* Peak GFLOPS of a run's backend (run.json backend.peak_gflops), NAN unknown. */
double plot_run_peak(const ab_run *run);

#endif
