/* progress.c: progress of a long run: one updating line on a terminal, a
 * plain line per case on a pipe, nothing with --quiet. */
#include "harness/progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/clock.h"

static double now_s(void)
{
    return (double)ab_now_ns() / 1e9;
}

static void fmt_dur(double s, char *buf, size_t n)
{
    if (s < 0) {
        snprintf(buf, n, "?");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, n, "%lds", t);
}

void progress_init(ab_progress *p, FILE *out, size_t total, int quiet)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->quiet = quiet;
    p->tty = !quiet && out && isatty(fileno(out));
    p->total = total;
    p->start_s = now_s();
}

double progress_eta(const ab_progress *p)
{
    if (p->case_time_n == 0 || p->done > p->total)
        return -1;
    double mean = p->case_time_sum / (double)p->case_time_n;
    return mean * (double)(p->total - p->done);
}

void progress_start(ab_progress *p, size_t k, const char *key)
{
    if (!p->tty)
        return;
    char el[32], eta[32];
    fmt_dur(now_s() - p->start_s, el, sizeof el);
    fmt_dur(progress_eta(p), eta, sizeof eta);
    /* \r + clear-to-end keeps one line; the key is cut to fit 100 columns. */
    fprintf(p->out, "\r\033[K[%zu/%zu] %.60s  elapsed %s  eta %s", k + 1, p->total, key, el, eta);
    fflush(p->out);
}

void progress_done(ab_progress *p, const char *key, const char *status, double secs)
{
    p->done++;
    if (secs >= 0) {
        p->case_time_sum += secs;
        p->case_time_n++;
    }
    if (p->quiet || p->tty)
        return;
    if (p->out) {
        char eta[32];
        fmt_dur(progress_eta(p), eta, sizeof eta);
        fprintf(p->out, "[%zu/%zu] %s  %s  %.2fs  eta %s\n", p->done, p->total, key, status, secs, eta);
        fflush(p->out);
    }
}

void progress_clear(ab_progress *p)
{
    if (p->tty) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
}
