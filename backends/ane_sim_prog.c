/* ane_sim_prog.c: what a program is and computes, for the ANE simulator
 * (ane_sim.c): its layers read statement by statement from the MIL text
 * (the subset ane_sim_prog.h lists), its weights checked and read from
 * weight.bin, and its output computed in fp16 arithmetic. Programs must be
 * chains: each op reads the value the previous one made. */
#include "backends/ane_sim_prog.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/fp16.h"
#include "harness/platform.h"

enum { SIM_MAX_DEPTH = 4096, SIM_MAX_DIM = 1 << 20, SIM_MAX_WEIGHTS = 8192 };

/* Parses "tensor<fp32, [1, 256, 1, 64]>" at p: element size (4 fp32, 2
 * fp16, 1 int8) and up to 4 dims. */
static int parse_tensor(const char *p, size_t *elem, long dims[4], int *ndims)
{
    if (strncmp(p, "tensor<", 7) != 0)
        return -1;
    p += 7;
    if (!strncmp(p, "fp32", 4))
        *elem = 4;
    else if (!strncmp(p, "fp16", 4))
        *elem = 2;
    else if (!strncmp(p, "int8", 4))
        *elem = 1;
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
        if (end == p || v <= 0 || v > SIM_MAX_DIM)
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
    return -1;
}

static int parse_fail(sim_prog *m, const char *fmt, const char *what)
{
    snprintf(m->parse_err, sizeof m->parse_err, fmt, what ? what : "");
    return -1;
}

/* One statement "TYPE NAME = OP(ARGS)[ATTRS];" of the function body. */
typedef struct stmt {
    const char *type;  /* at the declared type */
    char name[64], op[48];
    const char *args;  /* after "OP(" */
    const char *end;   /* the statement's ';' */
} stmt;

static int parse_stmt(const char *line, const char *eol, stmt *s)
{
    while (line < eol && *line == ' ')
        line++;
    const char *eq = strstr(line, " = ");
    if (!eq || eq > eol)
        return -1;
    const char *nm = eq;
    while (nm > line && nm[-1] != ' ')
        nm--;
    if (nm == line || (size_t)(eq - nm) >= sizeof s->name)
        return -1;
    memcpy(s->name, nm, (size_t)(eq - nm));
    s->name[eq - nm] = '\0';
    s->type = line;
    const char *op = eq + 3, *par = op;
    while (par < eol && *par != '(')
        par++;
    if (par >= eol || (size_t)(par - op) >= sizeof s->op)
        return -1;
    memcpy(s->op, op, (size_t)(par - op));
    s->op[par - op] = '\0';
    s->args = par + 1;
    s->end = eol;
    return 0;
}

/* The identifier given for argument `key` ("weight = w0") in [p, end). */
static int arg_name(const char *p, const char *end, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);
    for (const char *q = p; q + kl + 3 <= end; q++) {
        if ((q == p || q[-1] == ' ' || q[-1] == '(' || q[-1] == '[') && !strncmp(q, key, kl) &&
            !strncmp(q + kl, " = ", 3)) {
            const char *v = q + kl + 3;
            size_t len = 0;
            while (v + len < end && v[len] != ',' && v[len] != ')' && v[len] != ']' && len + 1 < n)
                len++;
            memcpy(out, v, len);
            out[len] = '\0';
            return 0;
        }
    }
    return -1;
}

/* The "val = ..." text of const NAME in the body [fn, end), NULL if none. */
static const char *const_val(const char *fn, const char *end, const char *name)
{
    char pat[96];
    snprintf(pat, sizeof pat, " %s = const()", name);
    const char *d = strstr(fn, pat);
    if (!d || d > end)
        return NULL;
    const char *v = strstr(d, "val = ");
    const char *semi = strchr(d, ';');
    return v && semi && v < semi ? v + 6 : NULL;
}

/* A scalar literal "fp16(0x1p-6)" / "int32(1)" / "string(\"x\")" at v. */
static double literal_number(const char *v)
{
    const char *par = v ? strchr(v, '(') : NULL;
    return par ? strtod(par + 1, NULL) : NAN;
}

static int literal_string(const char *v, char *out, size_t n)
{
    const char *q = v ? strstr(v, "string(\"") : NULL;
    if (!q || q != v)
        return -1;
    q += 8;
    const char *e = strchr(q, '"');
    if (!e || (size_t)(e - q) >= n)
        return -1;
    memcpy(out, q, (size_t)(e - q));
    out[e - q] = '\0';
    return 0;
}

/* Ints of a tensor literal "tensor<int32, [4]>([1, 1, 1, 1])". */
static int literal_ints(const char *v, long *out, int n)
{
    const char *q = v ? strstr(v, "([") : NULL;
    if (!q)
        return -1;
    q += 2;
    for (int i = 0; i < n; i++) {
        char *e;
        out[i] = strtol(q, &e, 10);
        if (e == q)
            return -1;
        q = e;
        while (*q == ',' || *q == ' ')
            q++;
    }
    return *q == ']' ? 0 : -1;
}

/* Weight constants seen so far. */
typedef struct wconst {
    char name[64];
    char path[SIM_WPATH_MAX]; /* the BLOBFILE's path */
    long dims[4];
    int nd;
    size_t elem, off;
    double scale;
} wconst;

static const wconst *find_weight(const wconst *w, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(w[i].name, name))
            return &w[i];
    return NULL;
}

/* BLOBFILE(path = string("@model_path/..."), offset = uint64(N)) within
 * [p, end): the path (the only form public programs write: a file under
 * the model's directory) and the offset. */
static int blob_ref(const char *p, const char *end, char *path, size_t n, size_t *off)
{
    static const char pre[] = "BLOBFILE(path = string(\"";
    const char *b = strstr(p, pre);
    const char *u = b ? strstr(b, "offset = uint64(") : NULL;
    if (!b || b > end || !u || u > end)
        return -1;
    const char *q = b + sizeof pre - 1, *close = strchr(q, '"');
    if (!close || close > u || (size_t)(close - q) >= n || strncmp(q, "@model_path/", 12) != 0)
        return -1;
    snprintf(path, n, "%.*s", (int)(close - q), q);
    *off = (size_t)strtoull(u + 16, NULL, 10);
    return 0;
}

/* The chain's state while reading: the current value and its shape. */
typedef struct cursor {
    char name[64];
    size_t c, h, w, elem;
} cursor;

static int add_layer(sim_prog *m, const sim_layer *l)
{
    if (m->depth >= SIM_MAX_DEPTH)
        return -1;
    sim_layer *nl = realloc(m->layers, (m->depth + 1) * sizeof *nl);
    if (!nl)
        return -1;
    m->layers = nl;
    m->layers[m->depth++] = *l;
    return 0;
}

static int do_conv(sim_prog *m, const stmt *s, const char *fn, const char *end, const wconst *ws, size_t nw,
                   cursor *cur)
{
    char wn[64], xn[64], pn[64], ptn[64], sn[64], dn[64], gn[64], pt[16];
    if (arg_name(s->args, s->end, "weight", wn, sizeof wn) || arg_name(s->args, s->end, "x", xn, sizeof xn) ||
        arg_name(s->args, s->end, "pad_type", ptn, sizeof ptn))
        return parse_fail(m, "conv %s: needs weight, x and pad_type", s->name);
    if (strcmp(xn, cur->name))
        return parse_fail(m, "conv %s: its x is not the previous op's output (only chains run here)", s->name);
    const wconst *w = find_weight(ws, nw, wn);
    if (!w || w->nd != 4 || w->elem == 4)
        return parse_fail(m, "conv %s: weight is not a tensor<fp16|int8, [Cout, Cin, KH, KW]> constant", s->name);
    if ((size_t)w->dims[1] != cur->c)
        return parse_fail(m, "conv %s: weight Cin does not match the tensor it convolves", s->name);
    long strides[2] = {1, 1}, dil[2] = {1, 1}, pads[4] = {0, 0, 0, 0};
    if ((!arg_name(s->args, s->end, "strides", sn, sizeof sn) && literal_ints(const_val(fn, end, sn), strides, 2)) ||
        (!arg_name(s->args, s->end, "dilations", dn, sizeof dn) && literal_ints(const_val(fn, end, dn), dil, 2)) ||
        strides[0] != 1 || strides[1] != 1 || dil[0] != 1 || dil[1] != 1)
        return parse_fail(m, "conv %s: only strides [1, 1] and dilations [1, 1] are simulated", s->name);
    if (!arg_name(s->args, s->end, "groups", gn, sizeof gn) && literal_number(const_val(fn, end, gn)) != 1)
        return parse_fail(m, "conv %s: only groups = 1 is simulated", s->name);
    if (literal_string(const_val(fn, end, ptn), pt, sizeof pt))
        return parse_fail(m, "conv %s: pad_type is not a string constant", s->name);
    size_t kh = (size_t)w->dims[2], kw = (size_t)w->dims[3];
    if (!strcmp(pt, "custom")) {
        if (arg_name(s->args, s->end, "pad", pn, sizeof pn) || literal_ints(const_val(fn, end, pn), pads, 4))
            return parse_fail(m, "conv %s: pad_type custom without a pad constant of 4 ints", s->name);
    } else if (!strcmp(pt, "same")) { /* total k-1, the odd one at the end */
        pads[0] = (long)(kh - 1) / 2, pads[1] = (long)(kh - 1) - pads[0];
        pads[2] = (long)(kw - 1) / 2, pads[3] = (long)(kw - 1) - pads[2];
    } else if (strcmp(pt, "valid")) {
        return parse_fail(m, "conv: pad_type \"%s\" is not simulated", pt);
    }
    sim_layer l = {.op = SIM_OP_CONV, .cin = cur->c, .cout = (size_t)w->dims[0], .kh = kh, .kw = kw,
                   .ih = cur->h, .iw = cur->w, .pad_t = (size_t)pads[0], .pad_b = (size_t)pads[1],
                   .pad_l = (size_t)pads[2], .pad_r = (size_t)pads[3], .woff = w->off, .welem = w->elem,
                   .wscale = w->scale};
    memcpy(l.wpath, w->path, sizeof l.wpath);
    if (pads[0] < 0 || pads[1] < 0 || pads[2] < 0 || pads[3] < 0 || cur->h + l.pad_t + l.pad_b < kh ||
        cur->w + l.pad_l + l.pad_r < kw)
        return parse_fail(m, "conv %s: the kernel does not fit the padded input", s->name);
    l.oh = cur->h + l.pad_t + l.pad_b - kh + 1;
    l.ow = cur->w + l.pad_l + l.pad_r - kw + 1;
    size_t elem;
    long d[4];
    int nd;
    if (parse_tensor(s->type, &elem, d, &nd) || nd != 4 || (size_t)d[1] != l.cout || (size_t)d[2] != l.oh ||
        (size_t)d[3] != l.ow)
        return parse_fail(m, "conv %s: declared output shape is not what the conv makes", s->name);
    if (add_layer(m, &l))
        return parse_fail(m, "too many layers%s", NULL);
    snprintf(cur->name, sizeof cur->name, "%s", s->name);
    cur->c = l.cout, cur->h = l.oh, cur->w = l.ow, cur->elem = elem;
    return 0;
}

static int do_linear(sim_prog *m, const stmt *s, const wconst *ws, size_t nw, cursor *cur)
{
    char wn[64], xn[64], bn[64];
    if (arg_name(s->args, s->end, "weight", wn, sizeof wn) || arg_name(s->args, s->end, "x", xn, sizeof xn))
        return parse_fail(m, "linear %s: needs weight and x", s->name);
    if (!arg_name(s->args, s->end, "bias", bn, sizeof bn))
        return parse_fail(m, "linear %s: a bias is not simulated", s->name);
    if (strcmp(xn, cur->name) || !m->token_major)
        return parse_fail(m, "linear %s: its x is not the previous rank-3 output (only chains run here)", s->name);
    const wconst *w = find_weight(ws, nw, wn);
    if (!w || w->nd != 2 || w->elem == 4 || (size_t)w->dims[1] != cur->c)
        return parse_fail(m, "linear %s: weight is not a tensor<fp16, [Cout, Cin]> constant matching x", s->name);
    sim_layer l = {.op = SIM_OP_LINEAR, .cin = cur->c, .cout = (size_t)w->dims[0], .kh = 1, .kw = 1, .ih = 1,
                   .iw = cur->w, .oh = 1, .ow = cur->w, .woff = w->off, .welem = w->elem, .wscale = w->scale};
    memcpy(l.wpath, w->path, sizeof l.wpath);
    size_t elem;
    long d[4];
    int nd;
    if (parse_tensor(s->type, &elem, d, &nd) || nd != 3 || (size_t)d[1] != cur->w || (size_t)d[2] != l.cout)
        return parse_fail(m, "linear %s: declared output shape is not [1, S, Cout]", s->name);
    if (add_layer(m, &l))
        return parse_fail(m, "too many layers%s", NULL);
    snprintf(cur->name, sizeof cur->name, "%s", s->name);
    cur->c = l.cout, cur->elem = elem;
    return 0;
}

/* quantize (to int8 after the last layer) and dequantize (back to fp16). */
static int do_quant(sim_prog *m, const stmt *s, const char *fn, const char *end, cursor *cur, int dequant)
{
    char in[64], sc[64], zp[64], dt[64], dts[16];
    if (arg_name(s->args, s->end, "input", in, sizeof in) || arg_name(s->args, s->end, "scale", sc, sizeof sc))
        return parse_fail(m, "%s: needs input and scale", s->op);
    if (strcmp(in, cur->name) || m->depth == 0)
        return parse_fail(m, "%s: its input is not the previous layer's output", s->op);
    if (!arg_name(s->args, s->end, "zero_point", zp, sizeof zp))
        return parse_fail(m, "%s: a zero point is not simulated", s->op);
    double scale = literal_number(const_val(fn, end, sc));
    if (!(scale > 0))
        return parse_fail(m, "%s: scale is not a positive fp16 constant", s->op);
    sim_layer *l = &m->layers[m->depth - 1];
    if (!dequant) {
        if (arg_name(s->args, s->end, "output_dtype", dt, sizeof dt) ||
            literal_string(const_val(fn, end, dt), dts, sizeof dts) || strcmp(dts, "int8") || l->qscale > 0)
            return parse_fail(m, "quantize %s: only one quantize to int8 after a layer is simulated", s->name);
        l->qscale = scale;
        cur->elem = 1;
    } else {
        if (cur->elem != 1 || scale != l->qscale)
            return parse_fail(m, "dequantize %s: not the inverse of the quantize before it", s->name);
        cur->elem = 2;
    }
    snprintf(cur->name, sizeof cur->name, "%s", s->name);
    return 0;
}

/* A weight constant: const with a BLOBFILE value, or constexpr_affine_dequantize of one. */
static int do_weight(sim_prog *m, const stmt *s, wconst *ws, size_t *nw)
{
    if (*nw >= SIM_MAX_WEIGHTS)
        return parse_fail(m, "too many weight constants%s", NULL);
    wconst *w = &ws[*nw];
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", s->name);
    size_t elem;
    if (parse_tensor(s->type, &elem, w->dims, &w->nd) || elem != 2 ||
        blob_ref(s->args, s->end, w->path, sizeof w->path, &w->off))
        return parse_fail(m, "weight %s: not a tensor<fp16, ...> read from a BLOBFILE under @model_path/",
                          s->name);
    w->elem = 2;
    if (!strcmp(s->op, "constexpr_affine_dequantize")) {
        const char *qd = strstr(s->args, "quantized_data = ");
        long qdims[4];
        int qnd;
        char zp[64];
        if (!qd || qd > s->end || parse_tensor(qd + 17, &elem, qdims, &qnd) || elem != 1 || qnd != w->nd ||
            memcmp(qdims, w->dims, (size_t)qnd * sizeof *qdims))
            return parse_fail(m, "constexpr_affine_dequantize %s: quantized_data is not int8 of the same shape",
                              s->name);
        if (arg_name(s->args, s->end, "zero_point", zp, sizeof zp) || literal_number(zp) != 0)
            return parse_fail(m, "constexpr_affine_dequantize %s: only zero_point int8(0) is simulated", s->name);
        const char *sc = strstr(s->args, "scale = fp16(");
        w->scale = sc && sc < s->end ? strtod(sc + 13, NULL) : NAN;
        if (!(w->scale > 0))
            return parse_fail(m, "constexpr_affine_dequantize %s: scale is not a positive fp16 literal", s->name);
        w->elem = 1;
    }
    (*nw)++;
    return 0;
}

static void totals(sim_prog *m)
{
    double f[3] = {0, 0, 0}, wbytes = 0;
    m->int8 = m->depth > 0;
    for (size_t i = 0; i < m->depth; i++) {
        const sim_layer *l = &m->layers[i];
        double macs = (double)l->cin * (double)l->cout * (double)(l->kh * l->kw) * (double)(l->oh * l->ow);
        sim_class c = l->op == SIM_OP_LINEAR ? SIM_CLASS_LINEAR
                      : l->kh * l->kw > 1    ? SIM_CLASS_CONVKXK
                                             : SIM_CLASS_CONV1X1;
        f[c] += 2.0 * macs;
        wbytes += (double)l->welem * (double)l->cin * (double)l->cout * (double)(l->kh * l->kw);
        if (l->welem != 1 || (i + 1 < m->depth && !(l->qscale > 0)))
            m->int8 = 0;
    }
    m->cls = SIM_CLASS_CONV1X1;
    for (int c = 1; c < 3; c++)
        if (f[c] > f[m->cls])
            m->cls = (sim_class)c;
    m->flops = f[0] + f[1] + f[2];
    m->weight_mib = wbytes / 1048576.0;
    m->io_bytes =
        (double)(m->in_rows * m->in_cols) * (double)m->in_elem + (double)(m->out_rows * m->out_cols) * (double)m->out_elem;
}

int sim_prog_parse(sim_prog *m, const char *mil)
{
    memset(m, 0, sizeof *m);
    const char *fn = strstr(mil, "func main");
    const char *t = fn ? strstr(fn, "tensor<") : NULL;
    const char *ret = fn ? strstr(fn, "} -> (") : NULL;
    long d[4];
    int nd;
    cursor cur;
    memset(&cur, 0, sizeof cur);
    if (!t || !ret || parse_tensor(t, &cur.elem, d, &nd) || cur.elem == 1 || d[0] != 1 || (nd != 4 && nd != 3))
        return parse_fail(m, "no input tensor<fp32|fp16, [1, C, H, W] or [1, S, C]> in func main%s", NULL);
    m->token_major = nd == 3;
    cur.c = (size_t)(m->token_major ? d[2] : d[1]);
    cur.h = m->token_major ? 1 : (size_t)d[2];
    cur.w = (size_t)(m->token_major ? d[1] : d[3]);
    m->in_elem = cur.elem;
    m->in_rows = m->token_major ? cur.w : cur.c * cur.h;
    m->in_cols = m->token_major ? cur.c : cur.w;
    const char *nm = strchr(t, '>');
    if (!nm || sscanf(nm + 1, " %63[A-Za-z0-9_]", cur.name) != 1)
        return parse_fail(m, "func main: no input name%s", NULL);
    wconst *ws = calloc(SIM_MAX_WEIGHTS, sizeof *ws);
    size_t nw = 0;
    if (!ws)
        return parse_fail(m, "out of memory%s", NULL);
    int rc = 0;
    const char *line = strchr(fn, '\n');
    while (rc == 0 && line && line < ret) {
        line++;
        const char *eol = strchr(line, '\n');
        if (!eol || eol > ret)
            eol = ret;
        stmt s;
        if (parse_stmt(line, eol, &s) == 0) {
            int blob = strstr(s.args, "BLOBFILE(") && strstr(s.args, "BLOBFILE(") < eol;
            if ((!strcmp(s.op, "const") && blob) || !strcmp(s.op, "constexpr_affine_dequantize"))
                rc = do_weight(m, &s, ws, &nw);
            else if (!strcmp(s.op, "const"))
                ; /* scalars and parameters: read where they are used */
            else if (!strcmp(s.op, "cast")) {
                char xn[64];
                size_t elem;
                if (arg_name(s.args, eol, "x", xn, sizeof xn) || strcmp(xn, cur.name) ||
                    parse_tensor(s.type, &elem, d, &nd) || elem == 1)
                    rc = parse_fail(m, "cast %s: not a cast of the previous output to fp16/fp32", s.name);
                else {
                    snprintf(cur.name, sizeof cur.name, "%s", s.name);
                    cur.elem = elem;
                }
            } else if (!strcmp(s.op, "conv"))
                rc = do_conv(m, &s, fn, ret, ws, nw, &cur);
            else if (!strcmp(s.op, "linear"))
                rc = do_linear(m, &s, ws, nw, &cur);
            else if (!strcmp(s.op, "quantize") || !strcmp(s.op, "dequantize"))
                rc = do_quant(m, &s, fn, ret, &cur, s.op[0] == 'd');
            else
                rc = parse_fail(m, "op '%s' is not simulated", s.op);
        }
        line = eol < ret ? eol : NULL;
    }
    free(ws);
    if (rc)
        return rc;
    char rname[64];
    if (m->depth == 0)
        return parse_fail(m, "no conv or linear layer with a BLOBFILE weight constant%s", NULL);
    if (sscanf(ret, "} -> (%63[A-Za-z0-9_])", rname) != 1 || strcmp(rname, cur.name) || cur.elem == 1)
        return parse_fail(m, "the returned value is not the chain's fp16/fp32 output%s", NULL);
    m->out_elem = cur.elem;
    m->out_rows = m->token_major ? cur.w : cur.c * cur.h;
    m->out_cols = m->token_major ? cur.c : cur.w;
    totals(m);
    return 0;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t layer_weights(const sim_layer *l)
{
    return l->cout * l->cin * l->kh * l->kw;
}

/* The file named path among files (each path once), or NULL. */
static const ane_weight_file *find_file(const ane_weight_file *files, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (files[i].path && !strcmp(files[i].path, path))
            return &files[i];
    return NULL;
}

int sim_prog_weights(const sim_prog *m, const ane_weight_file *files, size_t nfiles, uint16_t **out,
                     size_t *n, ab_err *e)
{
    size_t total = 0;
    for (size_t i = 0; i < m->depth; i++) { /* check every file and chunk before allocating */
        const sim_layer *l = &m->layers[i];
        const ane_weight_file *f = find_file(files, nfiles, l->wpath);
        /* A BLOBFILE resolves to a file the caller wrote under the model's
         * directory (ANE-NOTES, decompile facts: the framework writes none
         * of them); one that is not there fails the compile. The message
         * text is assumed (no public log of this failure). */
        if (!f)
            return ab_errf(e, AB_EFAIL, "ANECCompile() FAILED: cannot open BLOBFILE %s [simulated]",
                           l->wpath);
        const uint8_t *blob = f->bytes;
        size_t blob_len = f->len, off = l->woff, size = layer_weights(l) * l->welem;
        if (blob_len < 64 || blob[0] != 0x01 || blob[4] != 0x02)
            return ab_errf(e, AB_EFAIL, "ANECCompile() FAILED: %s header invalid [simulated]", l->wpath);
        if (off > blob_len || blob_len - off < 64 || blob_len - off - 64 < size)
            return ab_errf(e, AB_EFAIL,
                           "ANECCompile() FAILED: weight chunk %zu at offset %zu lies outside "
                           "%s (%zu bytes) [simulated]",
                           i, off, l->wpath, blob_len);
        const uint8_t *c = blob + off;
        if (c[0] != 0xEF || c[1] != 0xBE || c[2] != 0xAD || c[3] != 0xDE || rd32(c + 8) != size ||
            rd32(c + 16) != off + 64)
            return ab_errf(e, AB_EFAIL,
                           "ANECCompile() FAILED: weight chunk %zu header (magic/size/offset) "
                           "does not match the program [simulated]",
                           i);
        total += layer_weights(l);
    }
    uint16_t *w = ab_host_alloc(total * sizeof *w + 1);
    if (!w)
        return ab_errf(e, AB_EFAIL, "out of memory for weights");
    size_t at = 0;
    for (size_t i = 0; i < m->depth; i++) {
        const sim_layer *l = &m->layers[i];
        const uint8_t *d = find_file(files, nfiles, l->wpath)->bytes + l->woff + 64;
        size_t nl = layer_weights(l);
        if (l->welem == 2)
            memcpy(w + at, d, nl * 2);
        else /* constexpr_affine_dequantize: scale * (q - 0), made fp16 at compile */
            for (size_t j = 0; j < nl; j += 1024) {
                float f[1024];
                size_t cnt = nl - j < 1024 ? nl - j : 1024;
                for (size_t t = 0; t < cnt; t++)
                    f[t] = (float)((double)(int8_t)d[j + t] * l->wscale);
                fp16_from_floats(f, w + at + j, cnt);
            }
        at += nl;
    }
    *out = w;
    *n = total;
    return AB_OK;
}

size_t sim_prog_in_row(const sim_prog *m)
{
    return ane_row_stride(m->in_cols, m->in_elem, m->align);
}

size_t sim_prog_out_row(const sim_prog *m)
{
    return ane_row_stride(m->out_cols, m->out_elem, m->align);
}

size_t sim_prog_in_bytes(const sim_prog *m)
{
    return m->in_rows * sim_prog_in_row(m);
}

size_t sim_prog_out_bytes(const sim_prog *m)
{
    return m->out_rows * sim_prog_out_row(m);
}

void sim_prog_free(sim_prog *m)
{
    free(m->layers);
    m->layers = NULL;
}
