/* share_out.h: where report, export and leaderboard write their text. */
#ifndef AB_SHARE_OUT_H
#define AB_SHARE_OUT_H

#include <stddef.h>
#include "harness/error.h"

/* Writes text to path (NULL or "-": standard output) by ab_write_out
 * (harness/outfile.h) as a name the user gave. AB_EUSAGE / AB_EFAIL naming path. */
int share_write_output(const char *path, const char *text, size_t len, ab_err *e);

#endif
