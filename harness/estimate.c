/* estimate.c: expected wall time of cases from FLOPs and bytes (estimate.h). */
#include "harness/estimate.h"

#include <math.h>
#include <string.h>

void est_init(ab_est *m)
{
    memset(m, 0, sizeof *m);
    m->sample_ratio = 1.0;
}

double est_sampling_s(double eval_s, const ab_settings *s)
{
    if (!(eval_s > 0))
        return 0;
    double n = s->min_samples;
    if (n * eval_s < s->min_time)
        n = ceil(s->min_time / eval_s);
    if (s->max_samples > 0 && n > s->max_samples)
        n = s->max_samples;
    double t = n * eval_s;
    /* The stop rule ends at max time; the sample in flight finishes. */
    return t > s->max_time + eval_s ? s->max_time + eval_s : t;
}

/* y = a + b x by least squares weighted 1/y^2 (relative error) from the
 * sums s = {w, wx, wxx, wy, wxy}; a proportional fit (a = 0) when x does
 * not vary or the line would go below zero. */
static void fit(const double s[5], double *a, double *b)
{
    double det = s[0] * s[2] - s[1] * s[1];
    if (det > 1e-12 * s[0] * s[2]) {
        *b = (s[0] * s[4] - s[1] * s[3]) / det;
        *a = (s[3] - *b * s[1]) / s[0];
        if (*a >= 0 && *b >= 0)
            return;
    }
    if (s[2] > 0 && s[4] > 0) { /* through the origin */
        *a = 0;
        *b = s[4] / s[2];
    } else { /* x is 0 everywhere: the mean */
        *a = s[0] > 0 ? s[3] / s[0] : 0;
        *b = 0;
    }
}

static void add_point(double s[5], double x, double y)
{
    double w = 1.0 / (y * y);
    s[0] += w;
    s[1] += w * x;
    s[2] += w * x * x;
    s[3] += w * y;
    s[4] += w * x * y;
}

void est_add(ab_est *m, const ab_record *r, const ab_settings *s)
{
    if (r->status != AB_ST_OK || r->eval.n == 0 || !(r->eval.median > 0) || !(r->wall_s > 0))
        return;
    double e = r->eval.median / 1e9, sampled = r->eval.mean * (double)r->eval.n / 1e9;
    double before = (double)r->warmup + 1.0;
    double over = r->wall_s - sampled - before * e;
    if (over < 1e-6)
        over = 1e-6;
    add_point(m->ev, r->flops > 0 ? r->flops : 0, e);
    add_point(m->ov, r->bytes > 0 ? r->bytes : 0, over);
    m->nb_before += before;
    double least = est_sampling_s(e, s);
    m->nb_ratio += least > 0 ? (sampled > least ? sampled / least : 1.0) : 1.0;
    m->n++;
    fit(m->ev, &m->eval_a, &m->eval_b);
    fit(m->ov, &m->over_a, &m->over_b);
    m->evals_before = m->nb_before / (double)m->n;
    m->sample_ratio = m->nb_ratio / (double)m->n;
    m->ready = 1;
}

double est_case_s(const ab_est *m, const ab_case *c, const ab_settings *s)
{
    if (!m->ready)
        return -1;
    if (case_invalid_reason(c))
        return 0;
    double e = m->model_eval_s ? m->model_eval_s(m->model_ctx, c) : m->eval_a + m->eval_b * case_flops(c);
    double over = m->model_over_s ? m->model_over_s(m->model_ctx, c) : m->over_a + m->over_b * case_bytes(c);
    double sampling = est_sampling_s(e, s) * m->sample_ratio;
    if (sampling > s->max_time + e)
        sampling = s->max_time + e;
    return over + m->evals_before * e + sampling;
}
