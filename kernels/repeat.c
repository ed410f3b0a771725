/* repeat.c: what a kernel keeps for the runner's phase repeats (kernel.h
 * kernel_vary, kernel_weight_files_view). Every repeat compiles a program
 * of its own, cold, so its weight bytes must differ; rebuilding every
 * weight file for that (every weight converted to fp16 and copied into
 * fresh memory, five times a case) cost the host more than the repeats'
 * measured phases on big cases. So the files are built once per layout and
 * a repeat changes, in k->weights and in those files, only the first
 * weight of each layer. */
#include "kernels/kernel.h"
#include "kernels/chain.h"
#include "kernels/fp16.h"
#include "kernels/weightblob.h"

#include <stdlib.h>
#include <string.h>

struct ab_kernel_memo {
    ab_weight_file *files[2]; /* per ab_weights_layout, NULL until asked for */
    size_t nfiles[2];
    int rep;       /* the variation k holds now (1: the case's own) */
    float *keep;   /* the case's first weight of each layer */
    int8_t *qkeep; /* the same, int8 (w8a8) */
};

int kernel_memo_new(ab_kernel *k)
{
    struct ab_kernel_memo *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    m->rep = 1;
    m->keep = malloc(k->depth * sizeof *m->keep);
    m->qkeep = malloc(k->depth);
    if (!m->keep || !m->qkeep) {
        free(m->keep);
        free(m->qkeep);
        free(m);
        return -1;
    }
    k->memo = m;
    return 0;
}

void kernel_memo_free(ab_kernel *k)
{
    struct ab_kernel_memo *m = k->memo;
    if (!m)
        return;
    for (int w = 0; w < 2; w++)
        kernel_weight_files_free(m->files[w], m->nfiles[w]);
    free(m->keep);
    free(m->qkeep);
    free(m);
    k->memo = NULL;
}

int kernel_weight_files_view(const ab_kernel *k, ab_weights_layout w, const ab_weight_file **files, size_t *n)
{
    struct ab_kernel_memo *m = k->memo;
    int i = w == AB_WEIGHTS_PER_FILE ? 1 : 0;
    if (!m || (!m->files[i] && kernel_weight_files(k, w, &m->files[i], &m->nfiles[i])))
        return -1;
    *files = m->files[i];
    *n = m->nfiles[i];
    return 0;
}

/* Layer l's first weight, in k and in every file built, for variation rep. */
static void set_first(ab_kernel *k, size_t l, int rep)
{
    struct ab_kernel_memo *m = k->memo;
    size_t at = l * k->cout * k->cin * k->kh * k->kw;
    float v = m->keep[l] + (float)rep * 0.015625f; /* 2^-6: survives fp16 rounding */
    int8_t q = 0;
    if (rep == 1)
        v = m->keep[l];
    k->weights[at] = v;
    if (k->quant.on && k->quant.qweights) {
        q = rep == 1 ? m->qkeep[l] : (int8_t)(m->qkeep[l] < 100 ? m->qkeep[l] + rep : m->qkeep[l] - rep);
        k->quant.qweights[at] = q;
    }
    for (int i = 0; i < 2; i++) {
        if (!m->files[i])
            continue;
        size_t f, off = weightblob_first_weight(k, i ? AB_WEIGHTS_PER_FILE : AB_WEIGHTS_SINGLE, l, &f);
        uint8_t *d = m->files[i][f].bytes + off;
        if (k->quant.on) {
            d[0] = (uint8_t)q;
        } else {
            uint16_t h = fp16_from_float(v);
            d[0] = (uint8_t)h;
            d[1] = (uint8_t)(h >> 8);
        }
    }
}

int kernel_vary(ab_kernel *k, int rep)
{
    struct ab_kernel_memo *m = k->memo;
    if (!m)
        return -1;
    rep = rep < 1 ? 1 : rep;
    if (rep == m->rep)
        return 0;
    size_t per = k->cout * k->cin * k->kh * k->kw;
    if (m->rep == 1) /* the case's own values, as they are now */
        for (size_t l = 0; l < k->depth; l++) {
            m->keep[l] = k->weights[l * per];
            m->qkeep[l] = k->quant.on && k->quant.qweights ? k->quant.qweights[l * per] : 0;
        }
    for (size_t l = 0; l < k->depth; l++)
        set_first(k, l, rep);
    m->rep = rep;
    return 0;
}
