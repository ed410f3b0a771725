/* ane_sim_prog.c: what a program is and computes, for the ANE simulator
 * (ane_sim.c): its shapes read from the MIL text, its weights checked and
 * read from weight.bin, and its output computed in fp16 arithmetic. */
#include "backends/ane_sim_prog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/blas.h"
#include "kernels/fp16.h"

enum { SIM_MAX_DEPTH = 4096, SIM_MAX_DIM = 1 << 20 };

/* Parses "tensor<fp32, [1, 256, 1, 64]>" at p: element size and dims. */
static int parse_tensor(const char *p, size_t *elem, long dims[4], int *ndims)
{
    if (strncmp(p, "tensor<", 7) != 0)
        return -1;
    p += 7;
    if (!strncmp(p, "fp32", 4))
        *elem = 4;
    else if (!strncmp(p, "fp16", 4))
        *elem = 2;
    else
        return -1;
    p = strchr(p, '[');
    if (!p)
        return -1;
    p++;
    *ndims = 0;
    while (*ndims < 4) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p)
            return -1;
        dims[(*ndims)++] = v;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == ']')
            return 0;
        if (*p != ',')
            return -1;
        p++;
    }
    return *p == ']' ? 0 : -1;
}

/* The tensor type written just before position `at` (nearest "tensor<"). */
static const char *tensor_before(const char *start, const char *at)
{
    for (const char *q = at; q >= start; q--)
        if (!strncmp(q, "tensor<", 7))
            return q;
    return NULL;
}

static int parse_fail(sim_prog *m, const char *why)
{
    snprintf(m->parse_err, sizeof m->parse_err, "%s", why);
    return -1;
}

int sim_prog_parse(sim_prog *m, const char *mil)
{
    memset(m, 0, sizeof *m);
    const char *fn = strstr(mil, "func main");
    const char *t = fn ? strstr(fn, "tensor<") : NULL;
    long dims[4];
    int nd;
    if (!t || parse_tensor(t, &m->in_elem, dims, &nd) || nd != 4 || dims[0] != 1 || dims[2] != 1 ||
        dims[1] <= 0 || dims[3] <= 0 || dims[1] > SIM_MAX_DIM || dims[3] > SIM_MAX_DIM)
        return parse_fail(m, "no input tensor<T, [1, C, 1, S]> in func main (C, S at most 2^20)");
    m->spatial = (size_t)dims[3];
    size_t depth = 0;
    for (const char *q = strstr(mil, "BLOBFILE("); q; q = strstr(q + 1, "BLOBFILE("))
        depth++;
    if (depth == 0 || depth > SIM_MAX_DEPTH)
        return parse_fail(m, "no BLOBFILE weight constant (or too many)");
    m->depth = depth;
    m->chan = calloc(depth + 1, sizeof *m->chan);
    m->woff = calloc(depth, sizeof *m->woff);
    if (!m->chan || !m->woff)
        return parse_fail(m, "out of memory");
    m->chan[0] = (size_t)dims[1];
    size_t i = 0;
    for (const char *q = strstr(mil, "BLOBFILE("); q; q = strstr(q + 1, "BLOBFILE("), i++) {
        const char *wt = tensor_before(fn, q);
        size_t welem;
        long w[4];
        if (!wt || parse_tensor(wt, &welem, w, &nd) || nd != 4 || welem != 2 || w[2] != 1 || w[3] != 1 ||
            w[0] <= 0 || w[0] > SIM_MAX_DIM)
            return parse_fail(m, "weight constant is not tensor<fp16, [Cout, Cin, 1, 1]>");
        if ((size_t)w[1] != m->chan[i])
            return parse_fail(m, "weight Cin does not match the tensor it convolves");
        m->chan[i + 1] = (size_t)w[0];
        const char *off = strstr(q, "offset");
        const char *u = off ? strstr(off, "uint64(") : NULL;
        if (!u)
            return parse_fail(m, "BLOBFILE without offset = uint64(N)");
        m->woff[i] = (size_t)strtoull(u + 7, NULL, 10);
    }
    /* Output element type: the returned value's declared type, else the
     * input's (the kernel family keeps both ends alike). */
    m->out_elem = m->in_elem;
    const char *ret = strstr(fn, "} -> (");
    if (ret) {
        char name[64], pat[80];
        if (sscanf(ret, "} -> (%63[A-Za-z0-9_])", name) == 1) {
            snprintf(pat, sizeof pat, "> %s = ", name);
            const char *decl = strstr(fn, pat);
            const char *dt = decl ? tensor_before(fn, decl) : NULL;
            size_t oe;
            if (dt && !parse_tensor(dt, &oe, dims, &nd))
                m->out_elem = oe;
        }
    }
    double macs = 0, wbytes = 0;
    for (i = 0; i < depth; i++) {
        macs += (double)m->chan[i] * (double)m->chan[i + 1] * (double)m->spatial;
        wbytes += 2.0 * (double)m->chan[i] * (double)m->chan[i + 1];
    }
    m->flops = 2.0 * macs;
    m->weight_mib = wbytes / 1048576.0;
    m->io_bytes = (double)m->spatial *
                  ((double)m->chan[0] * (double)m->in_elem + (double)m->chan[depth] * (double)m->out_elem);
    return 0;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int sim_prog_weights(const sim_prog *m, const uint8_t *blob, size_t blob_len, uint16_t **out, size_t *n,
                     ab_err *e)
{
    if (blob_len < 64 || blob[0] != 0x01 || blob[4] != 0x02)
        return ab_errf(e, AB_EFAIL, "ANECCompile() FAILED: weight.bin header invalid [simulated]");
    size_t total = 0;
    for (size_t i = 0; i < m->depth; i++) { /* check every chunk before allocating */
        size_t off = m->woff[i], size = m->chan[i] * m->chan[i + 1] * 2;
        if (off > blob_len || blob_len - off < 64 || blob_len - off - 64 < size)
            return ab_errf(e, AB_EFAIL,
                           "ANECCompile() FAILED: weight chunk %zu at offset %zu lies outside "
                           "weight.bin (%zu bytes) [simulated]",
                           i, off, blob_len);
        const uint8_t *c = blob + off;
        if (c[0] != 0xEF || c[1] != 0xBE || c[2] != 0xAD || c[3] != 0xDE || rd32(c + 8) != size ||
            rd32(c + 16) != off + 64)
            return ab_errf(e, AB_EFAIL,
                           "ANECCompile() FAILED: weight chunk %zu header (magic/size/offset) "
                           "does not match the program [simulated]",
                           i);
        total += size / 2;
    }
    uint16_t *w = malloc(total * sizeof *w + 1);
    if (!w)
        return ab_errf(e, AB_EFAIL, "out of memory for weights");
    size_t at = 0;
    for (size_t i = 0; i < m->depth; i++) {
        size_t size = m->chan[i] * m->chan[i + 1] * 2;
        memcpy(w + at, blob + m->woff[i] + 64, size);
        at += size / 2;
    }
    *out = w;
    *n = total;
    return AB_OK;
}

size_t sim_prog_in_row(const sim_prog *m)
{
    return ane_row_stride(m->spatial, m->in_elem, m->align);
}

size_t sim_prog_out_row(const sim_prog *m)
{
    return ane_row_stride(m->spatial, m->out_elem, m->align);
}

size_t sim_prog_in_bytes(const sim_prog *m)
{
    return m->chan[0] * sim_prog_in_row(m);
}

size_t sim_prog_out_bytes(const sim_prog *m)
{
    return m->chan[m->depth] * sim_prog_out_row(m);
}

static void round_fp16(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = fp16_round(x[i]);
}

/* y[co][S] = w[co][ci] x[ci][S] in fp32. Small products in a plain loop:
 * OpenBLAS's threads keep spinning for a while after a call and would steal
 * the CPU from the modelled waits that follow on a small machine. */
static void matmul(const float *w, const float *x, float *y, size_t co, size_t ci, size_t S)
{
    if ((double)co * (double)ci * (double)S > (double)(1 << 22)) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)co, (int)S, (int)ci, 1.0f, w, (int)ci, x,
                    (int)S, 0.0f, y, (int)S);
        return;
    }
    memset(y, 0, co * S * sizeof *y);
    for (size_t o = 0; o < co; o++)
        for (size_t i = 0; i < ci; i++) {
            float a = w[o * ci + i];
            const float *xr = x + i * S;
            float *yr = y + o * S;
            for (size_t s = 0; s < S; s++)
                yr[s] += a * xr[s];
        }
}

int sim_prog_compute(const sim_prog *m, const uint16_t *w, const uint8_t *in, uint8_t *res, ab_err *e)
{
    size_t maxc = 0, S = m->spatial;
    for (size_t i = 0; i <= m->depth; i++)
        if (m->chan[i] > maxc)
            maxc = m->chan[i];
    size_t maxw = 0;
    for (size_t i = 0; i < m->depth; i++)
        if (m->chan[i] * m->chan[i + 1] > maxw)
            maxw = m->chan[i] * m->chan[i + 1];
    if ((double)maxc * (double)S > (double)(1u << 28) || maxw > (1u << 28))
        return ab_errf(e, AB_EFAIL,
                       "program too large for the simulator to compute (%zu channels x %zu) "
                       "[simulated]",
                       maxc, S);
    float *x = malloc(maxc * S * sizeof *x), *y = malloc(maxc * S * sizeof *y),
          *wf = malloc(maxw * sizeof *wf);
    if (!x || !y || !wf) {
        free(x), free(y), free(wf);
        return ab_errf(e, AB_EFAIL, "out of memory computing the simulated output");
    }
    ane_unpack_rows(in, m->chan[0], S, m->in_elem, sim_prog_in_row(m), x);
    round_fp16(x, m->chan[0] * S);
    for (size_t i = 0; i < m->depth; i++) {
        size_t ci = m->chan[i], co = m->chan[i + 1];
        fp16_to_floats(w, wf, ci * co);
        w += ci * co;
        matmul(wf, x, y, co, ci, S);
        round_fp16(y, co * S);
        float *tmp = x;
        x = y;
        y = tmp;
    }
    ane_pack_rows(x, m->chan[m->depth], S, m->out_elem, sim_prog_out_row(m), res);
    free(x), free(y), free(wf);
    return AB_OK;
}

void sim_prog_free(sim_prog *m)
{
    free(m->chan);
    free(m->woff);
    m->chan = NULL;
    m->woff = NULL;
}
