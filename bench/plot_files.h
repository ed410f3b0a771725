/* plot_files.h: which files in a plot folder `anebench plot` may replace
 * or remove, and putting a finished plot in place.
 *
 * A plot is made in a private folder inside the output folder (unpredictable
 * name, mode 0700: gnuplot writes its images there, never through a name
 * someone else can plant), then each file is renamed to its chart name. A
 * name already taken is replaced only when it is a regular file of the
 * user's that an earlier `anebench plot` wrote there: listed in the folder's
 * `.anebench-plots` (the files of the last plot), or, for folders plotted
 * before that list existed, a .dat that starts as anebench's do and the
 * image beside one. Anything else at a chart name (the user's own file, a
 * symbolic link, a device) stops the plot before anything is written, exit
 * 2 naming it. Files of the previous plot that this one does not write are
 * removed, so the folder never mixes two plots. */
#ifndef AB_PLOT_FILES_H
#define AB_PLOT_FILES_H

#include <stddef.h>
#include "harness/error.h"
#include "harness/plotdata.h"

/* AB_EUSAGE naming the first chart name in dir that is taken by something
 * this plot must not replace; 0 when every name is free or replaceable. */
int plot_files_check(const char *dir, const ab_chartlist *l, const char *fmt, ab_err *e);

/* Moves each chart's .dat (and its image, when drawn[i]) from the stage
 * into dir, removes the previous plot's files this one does not write
 * (their count in *nstale) and records the new list. */
int plot_files_publish(const char *dir, const ab_chartlist *l, const char *fmt, const unsigned char *drawn,
                       size_t *nstale, ab_err *e);

/* Removes the stage folder and whatever is left in it. */
void plot_stage_remove(const char *stage);

#endif
