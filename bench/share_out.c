/* share_out.c: the output of report, export and leaderboard: standard
 * output, or the file of -o written the one way anebench writes a whole
 * file (harness/outfile.h: a temporary renamed over the name; a device or
 * pipe written through; links followed only when safe). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/share_out.h"
#include "harness/outfile.h"

int share_write_output(const char *path, const char *text, size_t len, ab_err *e)
{
    if (!path || !strcmp(path, "-")) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            return ab_errf(e, AB_EFAIL, "cannot write the output: %s", strerror(errno));
        return 0;
    }
    return ab_write_out(path, text, len, AB_OUT_USER, e);
}
