/* runview.h: a loaded run made ready to be shown (compare): text from a
 * result file (reasons, host and chip names) may hold terminal control
 * sequences; they are made harmless before printing. (A case recorded more
 * than once is handled by the reader: the last record wins.) */
#ifndef AB_RUNVIEW_H
#define AB_RUNVIEW_H

#include <stddef.h>
#include "harness/reader.h"

/* Replaces, in every text of the run's records and metadata, each control
 * character (C0, DEL, and the UTF-8 form of C1, which holds CSI) with '?':
 * a result file from someone else cannot drive the terminal it is shown in. */
void run_scrub_text(ab_run *run);
/* The same for one record's texts, and for the run's own (info, origin). */
void record_scrub_text(ab_record *r);
void run_scrub_info(ab_run *run);

/* The same for one string (in place), and for every key and string of a
 * cJSON tree (a probe report). */
void ab_scrub_text(char *s);
void ab_scrub_json(void *json);

#endif
