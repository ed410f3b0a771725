/* progress.c: progress of a long run: one updating line on a terminal, a
 * plain line per case on a pipe, nothing with --quiet. */
#include "harness/progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "harness/clock.h"

static double now_s(void)
{
    return (double)ab_now_ns() / 1e9;
}

/* Columns of the terminal (80 when it does not say). */
static int columns(FILE *f)
{
    struct winsize ws;
    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

double progress_eta(const ab_progress *p)
{
    if (!p->est.ready || !p->cases || !p->order || !p->s || p->done > p->total)
        return -1;
    double left = 0;
    for (size_t k = p->done; k < p->total; k++)
        left += est_case_s(&p->est, &p->cases[p->order[k]], p->s);
    if (p->in_flight && p->done < p->total) { /* the case in flight has run a while */
        double ran = now_s() - p->case_start_s, its = est_case_s(&p->est, &p->cases[p->order[p->done]], p->s);
        left -= ran < its ? ran : its;
    }
    return left > 0 ? left : 0;
}

/* Draws the line of the case in flight, cut to one screen row (a wrapped
 * line would leave a row behind at every redraw). Lock held. */
static void draw(ab_progress *p)
{
    char el[32], eta[32], head[48], tail[80], line[512];
    ab_fmt_duration(now_s() - p->start_s, 0, el, sizeof el);
    ab_fmt_duration(progress_eta(p), 0, eta, sizeof eta);
    snprintf(head, sizeof head, "[%zu/%zu] ", p->before + p->current + 1, p->before + p->total);
    snprintf(tail, sizeof tail, "  elapsed %s  eta %s", el, eta);
    int room = columns(p->out) - 1 - (int)strlen(head) - (int)strlen(tail);
    int len = (int)strlen(p->label);
    if (room < 4)
        snprintf(line, sizeof line, "%s%s", head, tail);
    else if (len <= room)
        snprintf(line, sizeof line, "%s%s%s", head, p->label, tail);
    else
        snprintf(line, sizeof line, "%s%.*s...%s", head, room - 3, p->label, tail);
    fprintf(p->out, "\r\033[K%s", line);
    fflush(p->out);
    p->showing = 1;
}

static void *ticker(void *arg)
{
    ab_progress *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&p->wake, &p->lock, &until);
        if (!p->stop && p->showing)
            draw(p);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

void progress_init(ab_progress *p, FILE *out, size_t total, int quiet)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->quiet = quiet;
    p->tty = !quiet && out && isatty(fileno(out));
    p->total = total;
    p->start_s = now_s();
    est_init(&p->est);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    if (p->tty)
        p->ticking = pthread_create(&p->tick, NULL, ticker, p) == 0;
}

void progress_plan(ab_progress *p, const ab_case *cases, const size_t *order, const ab_settings *s,
                   const ab_record *before, size_t nbefore)
{
    pthread_mutex_lock(&p->lock);
    p->cases = cases;
    p->order = order;
    p->s = s;
    p->before = nbefore;
    for (size_t i = 0; i < nbefore; i++)
        est_add(&p->est, &before[i], s);
    pthread_mutex_unlock(&p->lock);
}

void progress_start(ab_progress *p, size_t k, const char *label)
{
    pthread_mutex_lock(&p->lock);
    p->case_start_s = now_s();
    p->in_flight = 1;
    if (!p->tty) {
        pthread_mutex_unlock(&p->lock);
        return;
    }
    p->current = k;
    snprintf(p->label, sizeof p->label, "%s", label);
    draw(p);
    pthread_mutex_unlock(&p->lock);
}

void progress_done(ab_progress *p, const ab_record *r, double secs)
{
    pthread_mutex_lock(&p->lock);
    p->done++;
    p->in_flight = 0;
    if (p->s)
        est_add(&p->est, r, p->s);
    if (!p->quiet && !p->tty && p->out) {
        char eta[32];
        ab_fmt_duration(progress_eta(p), 0, eta, sizeof eta);
        char round[48] = ""; /* --repeat: which round this was */
        if (p->s && p->s->repeat > 1)
            snprintf(round, sizeof round, " (round %d of %d)", r->round, p->s->repeat);
        fprintf(p->out, "[%zu/%zu] %s%s  %s  %.2fs  eta %s\n", p->before + p->done, p->before + p->total,
                r->key, round, status_name(r->status), secs, eta);
        fflush(p->out);
    }
    pthread_mutex_unlock(&p->lock);
}

void progress_clear(ab_progress *p)
{
    if (!p->tty)
        return;
    pthread_mutex_lock(&p->lock);
    fputs("\r\033[K", p->out);
    fflush(p->out);
    p->showing = 0;
    pthread_mutex_unlock(&p->lock);
}

void progress_finish(ab_progress *p)
{
    progress_clear(p);
    if (p->ticking) {
        pthread_mutex_lock(&p->lock);
        p->stop = 1;
        pthread_cond_signal(&p->wake);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->tick, NULL);
        p->ticking = 0;
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
}
