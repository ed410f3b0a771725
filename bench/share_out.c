/* share_out.c: the output of report, export and leaderboard: standard
 * output, or the file of -o written whole (a temporary renamed over the
 * name, so it holds the old text or the new one, never a mix). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/share_out.h"

int share_write_output(const char *path, const char *text, size_t len, ab_err *e)
{
    if (!path || !strcmp(path, "-")) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            return ab_errf(e, AB_EFAIL, "cannot write the output: %s", strerror(errno));
        return 0;
    }
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
        return ab_errf(e, AB_EUSAGE, "output name too long: '%.200s'", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return ab_errf(e, AB_EUSAGE, "cannot write '%s': %s", path, strerror(errno));
    mode_t um = umask(0); /* mkstemp makes it 0600: give it a new file's usual mode */
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0) {
        int err = errno;
        close(fd);
        unlink(tmp);
        return ab_errf(e, AB_EFAIL, "cannot write '%s': %s", path, strerror(err));
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return ab_errf(e, AB_EFAIL, "cannot write '%s': %s", path, strerror(errno));
    }
    int bad = fwrite(text, 1, len, f) != len;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        return ab_errf(e, AB_EFAIL, "cannot write '%s': %s", path, strerror(err));
    }
    return 0;
}
