/* export.h: `anebench export`: one redacted, self-describing submission
 * file of a run, for sharing (results/README.md, "Export files").
 *
 * The file is the run's results.json (run.json's fields plus "cases",
 * every record with its samples) with kind "anebench-export" and an
 * "export" object: what was removed, the hardware hash, the tool that
 * made the run (version, commit, dirty tree), the command that produced
 * the run and the one that exported it. Removed: the host name (and the
 * machine's current host name) and the user name (and home folder)
 * wherever they appear as a word, and every absolute path (a word
 * starting with '/' or '~'), which keeps only its last component. Fields
 * whose values anebench itself defines (keys, statuses, backends, axis
 * values) are left as they are so the file still reads back as a run. */
#ifndef AB_EXPORT_H
#define AB_EXPORT_H

#include <stddef.h>
#include "harness/error.h"
#include "harness/reader.h"

#define AB_EXPORT_KIND "anebench-export"

/* What identifies the machine without naming it: a 64-bit FNV-1a hash of
 * "chip|cpu_model|mem_bytes|cores|ane_family|ane_subtype|ane_cores" from
 * run.json's host (a simulator's modelled chip is not the machine).
 * Never a serial number: run.json holds none. buf gets "fnv1a64:<16 hex>". */
void export_hardware_hash(const ab_runinfo *ri, char *buf, size_t n);

/* The export document of a loaded run (a cJSON*, caller deletes), the
 * export's own command line in argv[0..argc). The run must have its
 * metadata (a run directory, results.json or export), else AB_EUSAGE. */
void *export_build(const ab_run *run, int argc, char *const *argv, ab_err *e);

/* Redacts every string in a JSON tree in place (see above): the words of
 * words[0..nwords) become replacement[i], absolute paths their last part. */
void export_redact(void *json, const char *const *words, const char *const *replacement, size_t nwords);

#endif
