/* report_charts.c: the charts of an HTML report (see report_charts.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/report_charts.h"
#include "bench/run_args.h"
#include "harness/reader.h"

extern char **environ;

/* Runs argv with stdout into out (malloc'd text) and stderr dropped;
 * returns the exit status (127: could not start). */
static int run_child(char *const *argv, char **out)
{
    int fd[2];
    *out = NULL;
    if (pipe(fd) != 0)
        return 127;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", 0, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        return 127;
    }
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t got;
    char chunk[4096];
    while ((got = read(fd[0], chunk, sizeof chunk)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (buf && len + (size_t)got + 1 > cap) {
            cap = 2 * (len + (size_t)got + 1);
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
        if (buf) {
            memcpy(buf + len, chunk, (size_t)got);
            len += (size_t)got;
        }
    }
    close(fd[0]);
    if (buf)
        buf[len] = '\0';
    *out = buf;
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 127;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        char p[PATH_MAX + 300];
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
                if (unlink(p) != 0 && errno == EISDIR)
                    remove_tree(p);
            }
        closedir(d);
    }
    rmdir(dir);
}

static char *base64_image(const unsigned char *in, size_t n, size_t *len)
{
    static const char prefix[] = "<img alt=\"chart\" src=\"data:image/svg+xml;base64,";
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t cap = sizeof prefix + (n + 2) / 3 * 4 + 8;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t k = (size_t)snprintf(out, cap, "%s", prefix);
    for (size_t i = 0; i < n; i += 3) {
        unsigned v =
            (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        out[k++] = tab[v >> 18 & 63];
        out[k++] = tab[v >> 12 & 63];
        out[k++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[k++] = i + 2 < n ? tab[v & 63] : '=';
    }
    k += (size_t)snprintf(out + k, cap - k, "\">");
    *len = k;
    return out;
}

/* "gflops_vs_channels" from ".../gflops_vs_channels.svg", '_' as ' '. */
static char *chart_title(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    char *t = strdup(b);
    if (!t)
        return NULL;
    char *dot = strrchr(t, '.');
    if (dot)
        *dot = '\0';
    for (char *p = t; *p; p++)
        if (*p == '_')
            *p = ' ';
    return t;
}

static int add_chart(report_charts *c, const char *path)
{
    ab_err e;
    size_t n = 0, len = 0;
    char *svg = ab_read_file(path, &n, &e);
    if (!svg)
        return -1;
    char *img = base64_image((const unsigned char *)svg, n, &len);
    free(svg);
    char *title = chart_title(path);
    ab_report_chart *v = realloc(c->v, (c->n + 1) * sizeof *v);
    if (!img || !title || !v) {
        free(img);
        free(title);
        if (v)
            c->v = v;
        return -1;
    }
    c->v = v;
    c->v[c->n++] = (ab_report_chart){title, img, len};
    return 0;
}

int report_charts_make(const char *const *paths, size_t n, report_charts *c)
{
    memset(c, 0, sizeof *c);
    char exe[PATH_MAX], dir[PATH_MAX];
    const char *tmp = getenv("TMPDIR");
    if (run_self_exe(exe, sizeof exe) != 0) {
        snprintf(c->note, sizeof c->note, "no charts: this program's path is unknown, so plot cannot be run");
        return AB_EFAIL;
    }
    snprintf(dir, sizeof dir, "%s/anebench-report-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        snprintf(c->note, sizeof c->note, "no charts: cannot make a temporary folder: %s", strerror(errno));
        return AB_EFAIL;
    }
    char **argv = calloc(n + 8, sizeof *argv);
    if (!argv) {
        rmdir(dir);
        return AB_EFAIL;
    }
    size_t k = 0;
    argv[k++] = exe;
    argv[k++] = (char *)"plot";
    for (size_t i = 0; i < n; i++)
        argv[k++] = (char *)paths[i];
    argv[k++] = (char *)"-o";
    argv[k++] = dir;
    argv[k++] = (char *)"--format";
    argv[k++] = (char *)"svg";
    argv[k] = NULL;
    char *out = NULL;
    int rc = run_child(argv, &out);
    free(argv);
    /* plot lists each image (then its data file) in chart order */
    for (char *line = out; line && *line;) {
        size_t l = strcspn(line, "\n");
        char save = line[l];
        line[l] = '\0';
        if (l > 4 && !strcmp(line + l - 4, ".svg") && !strncmp(line, dir, strlen(dir)))
            add_chart(c, line);
        line[l] = save;
        line += l + (save == '\n');
    }
    free(out);
    remove_tree(dir);
    if (rc == AB_ETOOL) {
        snprintf(c->note, sizeof c->note,
                 "no charts: gnuplot was not found (install it, or set ANEBENCH_GNUPLOT); `anebench plot` "
                 "says more");
        return AB_ETOOL;
    }
    if (rc != 0) {
        snprintf(c->note, sizeof c->note, "%s: `anebench plot` of these runs exited %d (it says why)",
                 c->n ? "some charts are missing" : "no charts", rc);
        return AB_EFAIL;
    }
    if (!c->n)
        snprintf(c->note, sizeof c->note, "no chart has data (`anebench plot` of these runs says why)");
    return 0;
}

void report_charts_free(report_charts *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free((char *)c->v[i].title);
        free((char *)c->v[i].svg);
    }
    free(c->v);
    memset(c, 0, sizeof *c);
}
