/* plot_files.c: what `anebench plot` may replace in its output folder,
 * and the move of a finished plot into it (see plot_files.h). */
#include "bench/plot_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/outfile.h"

#define LIST_NAME ".anebench-plots"
#define DAT_MAGIC "# anebench plot data:"

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* A name the list may hold: a chart file in this folder, nothing else. */
static int listable(const char *name)
{
    size_t l = strlen(name);
    if (l < 5 || name[0] == '.' || strchr(name, '/'))
        return 0;
    const char *ext = name + l - 4;
    return !strcmp(ext, ".dat") || !strcmp(ext, ".png") || !strcmp(ext, ".svg");
}

/* A regular file of this user's (not a link, device, or someone else's). */
static int own_regular(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid();
}

/* The names in dir's list (NUL-separated in a malloc'd buffer, *n of
 * them); NULL (and *n = 0) when there is no list we can trust. */
static char *read_list(const char *dir, size_t *n)
{
    char path[1100];
    *n = 0;
    snprintf(path, sizeof path, "%s/%s", dir, LIST_NAME);
    if (!own_regular(path))
        return NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    ssize_t got;
    while (buf && len < cap && (got = read(fd, buf + len, cap - len)) > 0)
        len += (size_t)got;
    close(fd);
    if (!buf)
        return NULL;
    buf[len] = '\0';
    /* keep the listable lines, each ended by a NUL */
    size_t out = 0;
    for (char *p = buf; *p;) {
        size_t l = strcspn(p, "\n");
        char save = p[l];
        p[l] = '\0';
        if (listable(p)) {
            memmove(buf + out, p, l + 1);
            out += l + 1;
            (*n)++;
        }
        p += l + (save != '\0');
    }
    return buf;
}

static int listed(const char *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++, list += strlen(list) + 1)
        if (!strcmp(list, name))
            return 1;
    return 0;
}

/* A .dat written by an earlier anebench plot (before the list existed). */
static int legacy_dat(const char *path)
{
    char head[sizeof DAT_MAGIC];
    if (!own_regular(path))
        return 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t got = read(fd, head, sizeof head - 1);
    close(fd);
    return got == (ssize_t)sizeof head - 1 && !memcmp(head, DAT_MAGIC, sizeof head - 1);
}

/* May the plot replace dir/name? 1 yes (free, or an earlier plot's file). */
static int replaceable(const char *dir, const char *name, const char *list, size_t nlist)
{
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    if (!own_regular(path))
        return 0;
    if (listed(list, nlist, name))
        return 1;
    size_t l = strlen(name);
    if (l > 4 && !strcmp(name + l - 4, ".dat"))
        return legacy_dat(path);
    /* an image: anebench's when the .dat beside it is */
    snprintf(path, sizeof path, "%s/%.*s.dat", dir, (int)(l - 4), name);
    return legacy_dat(path);
}

static int refuse(const char *dir, const char *name, ab_err *e)
{
    char path[1200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    const char *what = "is not a chart an earlier anebench plot wrote there";
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode))
            what = "is a symbolic link (never followed or replaced by plot)";
        else if (!S_ISREG(st.st_mode))
            what = "is not a regular file";
        else if (st.st_uid != geteuid())
            what = "belongs to another user";
    }
    return ab_errf(e, AB_EUSAGE,
                   "plot: '%s' %s: not replaced (move it away, or plot into another folder with -o)", path,
                   what);
}

int plot_files_check(const char *dir, const ab_chartlist *l, const char *fmt, ab_err *e)
{
    size_t nlist;
    char *list = read_list(dir, &nlist);
    int rc = 0;
    for (size_t i = 0; i < l->n && !rc; i++) {
        const ab_chart *c = &l->v[i];
        if (!c->has_data)
            continue;
        char img[300];
        snprintf(img, sizeof img, "%s.%s", base_name(c->base), fmt);
        if (!replaceable(dir, base_name(c->dat), list, nlist))
            rc = refuse(dir, base_name(c->dat), e);
        else if (!replaceable(dir, img, list, nlist))
            rc = refuse(dir, img, e);
    }
    free(list);
    return rc;
}

/* Appends name and a newline to the growing text *t (length *len). */
static int add_line(char **t, size_t *len, size_t *cap, const char *name)
{
    size_t l = strlen(name);
    if (*len + l + 2 > *cap) {
        size_t nc = (*cap + l + 2) * 2;
        char *p = realloc(*t, nc);
        if (!p)
            return -1;
        *t = p;
        *cap = nc;
    }
    memcpy(*t + *len, name, l);
    (*t)[*len + l] = '\n';
    *len += l + 1;
    (*t)[*len] = '\0';
    return 0;
}

int plot_files_publish(const char *dir, const ab_chartlist *l, const char *fmt, const unsigned char *drawn,
                       size_t *nstale, ab_err *e)
{
    static const char head[] = "# the files the last anebench plot wrote in this folder: the next plot\n"
                               "# replaces these (and removes those it does not write), nothing else\n";
    size_t len = 0, cap = 0, nlist;
    char *text = NULL, *list = read_list(dir, &nlist);
    int rc = 0;
    for (const char *p = head; *p && !rc;) { /* the header, line by line */
        size_t k = strcspn(p, "\n");
        char line[160];
        snprintf(line, sizeof line, "%.*s", (int)k, p);
        rc = add_line(&text, &len, &cap, line) ? ab_errf(e, AB_EUSAGE, "out of memory") : 0;
        p += k + (p[k] == '\n');
    }
    for (size_t i = 0; i < l->n && !rc; i++) {
        const ab_chart *c = &l->v[i];
        if (!c->has_data)
            continue;
        char from[1200], to[1200];
        for (int k = 0; k < 1 + (drawn && drawn[i]) && !rc; k++) {
            const char *name = base_name(k ? c->base : c->dat);
            if (k) {
                snprintf(from, sizeof from, "%.*s/%s.%s", (int)(base_name(c->file) - 1 - c->file), c->file,
                         name, fmt);
                snprintf(to, sizeof to, "%s/%s.%s", dir, name, fmt);
            } else {
                snprintf(from, sizeof from, "%s", c->file);
                snprintf(to, sizeof to, "%s/%s", dir, name);
            }
            rc = ab_outfile_place(from, to, AB_OUT_OWN, e);
            if (!rc)
                rc = add_line(&text, &len, &cap, base_name(to)) ? ab_errf(e, AB_EUSAGE, "out of memory") : 0;
        }
    }
    /* the previous plot's files this one did not write */
    *nstale = 0;
    const char *p = list;
    for (size_t i = 0; i < nlist && !rc; i++, p += strlen(p) + 1) {
        char path[1200], pat[1200];
        snprintf(pat, sizeof pat, "\n%s\n", p);
        if (strstr(text, pat))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, p);
        if (own_regular(path) && unlink(path) == 0)
            (*nstale)++;
    }
    char lpath[1100];
    snprintf(lpath, sizeof lpath, "%s/%s", dir, LIST_NAME);
    if (!rc)
        rc = ab_write_out(lpath, text, len, AB_OUT_OWN, e);
    free(text);
    free(list);
    return rc;
}

void plot_stage_remove(const char *stage)
{
    DIR *d = opendir(stage);
    if (d) {
        struct dirent *de;
        char path[1200];
        while ((de = readdir(d)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", stage, de->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(stage);
}
