/* test_plotdata.c: harness/plotdata.c and plotcharts.c on runs built in
 * memory: run titles and labels, which charts have data (and why not),
 * the series a chart is split into, and the numbers in the .dat files.
 * Expected numbers follow from the records' own constants: GFLOPS =
 * 2*cin*cout*spatial / median ns, ratios = OTHER median / BASE median. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "harness/plotdata.h"

/* An ok record of cin x spatial (cout = cin) with the given median (ns). */
static void add_rec(ab_run *run, const char *backend, int sim, long cin, long spatial, long qos,
                    double median)
{
    run->recs = realloc(run->recs, (run->n + 1) * sizeof *run->recs);
    assert_non_null(run->recs);
    ab_record *r = &run->recs[run->n++];
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = cin;
    c.v[AX_SPATIAL] = spatial;
    c.v[AX_QOS] = qos;
    record_init(r, &c);
    record_printf(&r->backend, "%s", backend);
    r->simulated = sim;
    r->status = AB_ST_OK;
    r->flops = 2.0 * cin * cin * spatial;
    r->bytes = case_bytes(&c);
    r->eval.n = 20;
    r->eval.median = median;
    r->eval.ci_low = median * 0.9;
    r->eval.ci_high = median * 1.1;
    r->compile_ms = 10;
    r->load_ms = 2;
    r->first_eval_ms = 0.5;
    snprintf(r->started, sizeof r->started, "2026-11-25T17:00:00Z");
}

static void set_meta(ab_run *run, const char *backend, int sim, const char *host_chip,
                     const char *backend_chip, double peak)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "schema_version", AB_SCHEMA_VERSION);
    cJSON_AddStringToObject(m, "kind", "anebench-run");
    cJSON_AddStringToObject(m, "started", "2026-03-01T10:00:00Z");
    cJSON *h = cJSON_AddObjectToObject(m, "host");
    cJSON_AddStringToObject(h, "hostname", "box");
    if (host_chip)
        cJSON_AddStringToObject(h, "chip", host_chip);
    else
        cJSON_AddNullToObject(h, "chip");
    cJSON *b = cJSON_AddObjectToObject(m, "backend");
    cJSON_AddStringToObject(b, "name", backend);
    cJSON_AddBoolToObject(b, "simulated", sim);
    if (backend_chip)
        cJSON_AddStringToObject(b, "chip", backend_chip);
    if (peak > 0)
        cJSON_AddNumberToObject(b, "peak_gflops", peak);
    runinfo_free(&run->info);
    assert_int_equal(runinfo_from_json(m, "run.json", &run->info, NULL), AB_OK);
    run->has_info = 1;
    cJSON_Delete(m);
}

static void free_run(ab_run *run)
{
    runinfo_free(&run->info);
    for (size_t i = 0; i < run->n; i++)
        record_free(&run->recs[i]);
    free(run->recs);
    memset(run, 0, sizeof *run);
}

static const ab_chart *find_chart(const ab_chartlist *l, const char *base_suffix)
{
    for (size_t i = 0; i < l->n; i++) {
        size_t lb = strlen(l->v[i].base), ls = strlen(base_suffix);
        if (lb >= ls && !strcmp(l->v[i].base + lb - ls, base_suffix))
            return &l->v[i];
    }
    fail_msg("no chart %s in the list", base_suffix);
    return NULL;
}

/* Blocks of a .dat file: titles[] and rows per block (up to 16 blocks). */
struct blocks {
    size_t n;
    char title[16][160];
    size_t rows[16];
    double first[16][8]; /* the first data row of each block */
};

static void read_blocks(const char *path, struct blocks *b)
{
    memset(b, 0, sizeof *b);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    int blank = 2;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        if (line[0] == '\n') {
            blank++;
            continue;
        }
        if (blank >= 2) {
            assert_true(line[0] == '"');
            assert_true(b->n < 16);
            char *end = strchr(line + 1, '"');
            assert_non_null(end);
            snprintf(b->title[b->n], sizeof b->title[0], "%.*s", (int)(end - line - 1), line + 1);
            b->n++;
        } else {
            size_t k = b->n - 1;
            if (b->rows[k] == 0) {
                char *p = line;
                for (int j = 0; j < 8; j++)
                    b->first[k][j] = strtod(p, &p);
            }
            b->rows[k]++;
        }
        blank = 0;
    }
    fclose(f);
}

/* Whether the text of file path holds needle. */
static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return strstr(text, needle) != NULL;
}

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ab_plotdata_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_titles(void **state)
{
    (void)state;
    char buf[256];
    ab_run run = {0};
    snprintf(run.origin, sizeof run.origin, "results/20261125T170000-box-ane-sim-m5/");
    add_rec(&run, "ane-sim:m5", 1, 64, 64, 21, 1000);

    /* no run.json: the run's folder, the records' backend, SIMULATED */
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(buf, "20261125T170000-box-ane-sim-m5 | ane-sim:m5 | SIMULATED | 2026-11-25");
    plot_run_label(&run, buf, sizeof buf);
    assert_string_equal(buf, "ane-sim:m5");
    assert_true(isnan(plot_run_peak(&run)));
    snprintf(run.origin, sizeof run.origin, "results/20261125T170000-box-ane-sim-m5/cases.csv");
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(buf, "20261125T170000-box-ane-sim-m5 | ane-sim:m5 | SIMULATED | 2026-11-25");
    snprintf(run.origin, sizeof run.origin, "cut.jsonl");
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(buf, "cut.jsonl | ane-sim:m5 | SIMULATED | 2026-11-25");

    /* a simulated chip is named as such, with the host it ran on */
    set_meta(&run, "ane-sim:m5", 1, NULL, "Apple M5", 12300);
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(buf, "Apple M5 simulated on host box | ane-sim:m5 | SIMULATED | 2026-03-01");
    assert_true(plot_run_peak(&run) == 12300);
    /* a quick-test time scale (ANEBENCH_SIM_SCALE) is said: its GFLOPS are not the model's */
    run.info.sim_scale = 0.05;
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(
        buf, "Apple M5 simulated on host box | ane-sim:m5 | SIMULATED, time scale 0.05 | 2026-03-01");
    run.info.sim_scale = 1;
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(buf, "Apple M5 simulated on host box | ane-sim:m5 | SIMULATED | 2026-03-01");
    free_run(&run);

    /* a real one: the chip, never SIMULATED */
    add_rec(&run, "ane", 0, 64, 64, 21, 1000);
    set_meta(&run, "ane", 0, "Apple M5", "Apple M5", 0);
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(buf, "Apple M5 | ane | 2026-03-01");
    plot_run_label(&run, buf, sizeof buf);
    assert_string_equal(buf, "Apple M5 ane");
    assert_true(isnan(plot_run_peak(&run)));
    free_run(&run);

    /* a cpu run: the host */
    add_rec(&run, "cpu", 0, 64, 64, 21, 1000);
    set_meta(&run, "cpu", 0, NULL, NULL, 0);
    plot_run_title(&run, buf, sizeof buf);
    assert_string_equal(buf, "host box | cpu | 2026-03-01");
    free_run(&run);
}

static void test_one_run(void **state)
{
    (void)state;
    ab_run run = {0};
    snprintf(run.origin, sizeof run.origin, "mem");
    set_meta(&run, "cpu", 0, NULL, NULL, 0);
    long cins[3] = {64, 128, 256};
    for (int i = 0; i < 3; i++) {
        add_rec(&run, "cpu", 0, cins[i], 64, 21, 1000.0 * (i + 1));
        add_rec(&run, "cpu", 0, cins[i], 256, 21, 4000.0 * (i + 1));
    }
    add_rec(&run, "cpu", 0, 512, 1024, 21, 9000); /* alone at spatial 1024: no curve */
    add_rec(&run, "cpu", 0, 512, 64, 21, 9000);
    run.recs[run.n - 1].status = AB_ST_FAILED; /* not drawn */

    ab_chartlist l;
    ab_err e;
    assert_int_equal(plotdata_write_all(&run, 1, tmpdir, NULL, &l, &e), 0);
    assert_int_equal(l.n, 9); /* every one-run chart is listed, drawn or not */

    const ab_chart *c = find_chart(&l, "/gflops_vs_channels");
    assert_true(c->has_data);
    assert_true(isnan(c->peak));
    assert_string_equal(c->title, "host box | cpu | 2026-03-01");
    assert_false(c->simulated);
    assert_true(file_has(c->dat, "\n# var title \"host box | cpu | 2026-03-01\"\n"));
    assert_true(file_has(c->dat, "\n# var simulated \"0\"\n"));
    assert_false(file_has(c->dat, "# var peak "));
    assert_false(file_has(c->dat, "# var nser "));
    struct blocks b;
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 2);
    assert_string_equal(b.title[0], "spatial=64");
    assert_string_equal(b.title[1], "spatial=256");
    assert_int_equal(b.rows[0], 3); /* the failed 512x64 case is left out */
    assert_int_equal(b.rows[1], 3);
    /* first row of spatial=64: cin 64, 2*64*64*64 flops in 1000 ns */
    assert_true(b.first[0][0] == 64 && b.first[0][1] == 64);
    assert_true(fabs(b.first[0][3] - 524.288) < 1e-3);
    assert_true(fabs(b.first[0][4] - 524.288 / 1.1) < 1e-3); /* low: from the CI's high end */
    assert_true(fabs(b.first[0][5] - 524.288 / 0.9) < 1e-3);

    c = find_chart(&l, "/gflops_vs_spatial");
    assert_true(c->has_data);
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 3); /* cin 64, 128, 256 over spatial 64 and 256 */
    assert_string_equal(b.title[0], "cin=64");

    c = find_chart(&l, "/phases");
    assert_true(c->has_data);
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 4);
    assert_string_equal(b.title[0], "compile");
    assert_int_equal(b.rows[0], 7);

    c = find_chart(&l, "/qos");
    assert_false(c->has_data);
    assert_string_equal(c->why, "no case was run at two or more QoS values");
    assert_int_equal(access(c->dat, F_OK), -1);
    c = find_chart(&l, "/wall_vs_hw");
    assert_false(c->has_data);
    c = find_chart(&l, "/rt_vs_normal");
    assert_false(c->has_data);
    c = find_chart(&l, "/roofline");
    assert_true(c->has_data);
    chartlist_free(&l);
    free_run(&run);
}

static void test_qos_chart(void **state)
{
    (void)state;
    ab_run run = {0};
    snprintf(run.origin, sizeof run.origin, "mem");
    set_meta(&run, "ane-sim:m5", 1, NULL, "Apple M5", 12300);
    long q[4] = {0, 9, 21, 33};
    for (int i = 3; i >= 0; i--)
        add_rec(&run, "ane-sim:m5", 1, 256, 64, q[i], 70000 + i);
    ab_chartlist l;
    ab_err e;
    assert_int_equal(plotdata_write_all(&run, 1, tmpdir, NULL, &l, &e), 0);
    const ab_chart *c = find_chart(&l, "/qos");
    assert_true(c->has_data);
    assert_string_equal(c->note, "cin=256 spatial=64 depth=1 io=fp32 procedure=0 mode=normal");
    struct blocks b;
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 3);
    /* eval first: qos.gp gives block 0 an axis of its own */
    assert_string_equal(b.title[0], "eval (median, 95% CI)");
    assert_string_equal(b.title[1], "compile");
    assert_string_equal(b.title[2], "load");
    assert_int_equal(b.rows[0], 4);
    assert_true(b.first[0][0] == 0);                    /* sorted by QoS */
    assert_true(fabs(b.first[0][1] - 0.070000) < 1e-9); /* ms */
    assert_true(fabs(b.first[0][2] - 0.063) < 1e-9);    /* CI low, ms */
    /* one size only: no curve, no phase chart */
    assert_false(find_chart(&l, "/gflops_vs_channels")->has_data);
    assert_false(find_chart(&l, "/phases")->has_data);
    chartlist_free(&l);

    /* a transcribed reference (the seed's means of 10) has no CI: not claimed */
    for (size_t i = 0; i < run.n; i++)
        run.recs[i].eval.ci_low = run.recs[i].eval.ci_high = 0;
    assert_int_equal(plotdata_write_all(&run, 1, tmpdir, NULL, &l, &e), 0);
    read_blocks(find_chart(&l, "/qos")->dat, &b);
    assert_string_equal(b.title[0], "eval (no CI reported)");
    chartlist_free(&l);
    free_run(&run);
}

/* The weight-size chart: one series per family, x = weights as stored in
 * MiB; a knee is named only where a series drops 20% below its best and
 * stays there, never on a flat or noisy curve. */
static void test_sram_chart(void **state)
{
    (void)state;
    for (int cliff = 0; cliff < 2; cliff++) {
        ab_run run = {0};
        snprintf(run.origin, sizeof run.origin, "mem");
        set_meta(&run, "ane-sim:m4", 1, NULL, "Apple M4", 18600);
        const long depths[6] = {4, 8, 16, 32, 64, 128}; /* 512ch 1x1: 0.5 MiB a layer */
        for (int i = 0; i < 6; i++) {
            add_rec(&run, "ane-sim:m4", 1, 512, 64, 21, 1000.0 * depths[i]);
            ab_record *r = &run.recs[run.n - 1];
            r->params.v[AX_DEPTH] = depths[i];
            r->flops *= (double)depths[i];
            /* with a cliff: past 16 MiB (depth 32) 40% slower; else +-10% noise */
            r->eval.median *= cliff ? (depths[i] >= 64 ? 1.7 : 1.0) : (i % 2 ? 1.1 : 0.9);
        }
        ab_chartlist l;
        ab_err e;
        assert_int_equal(plotdata_write_all(&run, 1, tmpdir, NULL, &l, &e), 0);
        const ab_chart *c = find_chart(&l, "/sram");
        assert_true(c->has_data);
        struct blocks b;
        read_blocks(c->dat, &b);
        assert_int_equal(b.n, 1);
        assert_string_equal(b.title[0], "conv1x1");
        assert_int_equal(b.rows[0], 6);
        assert_true(fabs(b.first[0][0] - 2.0) < 1e-9); /* 4 layers x 0.5 MiB */
        if (cliff)
            assert_string_equal(c->note, "knee: conv1x1 past 32 MiB");
        else
            assert_non_null(strstr(c->note, "no knee"));
        chartlist_free(&l);
        free_run(&run);
    }
}

static void test_two_runs(void **state)
{
    (void)state;
    ab_run runs[2];
    memset(runs, 0, sizeof runs);
    snprintf(runs[0].origin, sizeof runs[0].origin, "m4");
    snprintf(runs[1].origin, sizeof runs[1].origin, "m5");
    set_meta(&runs[0], "ane-sim:m4", 1, NULL, "Apple M4", 18600);
    set_meta(&runs[1], "ane-sim:m5", 1, NULL, "Apple M5", 0);
    long cins[3] = {64, 128, 256};
    for (int i = 0; i < 3; i++) {
        add_rec(&runs[0], "ane-sim:m4", 1, cins[i], 64, 21, 1000.0 * (i + 1));
        add_rec(&runs[1], "ane-sim:m5", 1, cins[i], 64, 21, 2500.0 * (i + 1));  /* 2.5x the time */
        add_rec(&runs[0], "ane-sim:m4", 1, cins[i], 256, 21, 3000.0 * (i + 1)); /* BASE only */
    }
    ab_chartlist l;
    ab_err e;
    assert_int_equal(plotdata_write_all(runs, 2, tmpdir, NULL, &l, &e), 0);
    assert_int_equal(l.n, 9 + 9 + 2);
    assert_true(find_chart(&l, "/run1-ane-sim-m4-gflops_vs_channels")->has_data);
    assert_true(find_chart(&l, "/run2-ane-sim-m5-gflops_vs_channels")->has_data);

    const ab_chart *c = find_chart(&l, "/overlay");
    assert_true(c->has_data);
    assert_int_equal(c->nser, 1); /* spatial=256 exists in BASE only */
    assert_string_equal(c->peaks, "18600 nan");
    assert_string_equal(c->runs, "'ane-sim:m4' 'ane-sim:m5'");
    assert_string_equal(c->series, "'spatial=64'");
    assert_true(c->simulated);
    /* a line per run: chip or host, backend, SIMULATED, date */
    assert_string_equal(c->title,
                        "BASE: Apple M4 simulated on host box | ane-sim:m4 | SIMULATED | 2026-03-01\n"
                        "OTHER: Apple M5 simulated on host box | ane-sim:m5 | SIMULATED | 2026-03-01");
    /* what overlay.gp needs is in the file itself, one line each */
    assert_true(file_has(c->dat,
                         "\n# var title \"BASE: Apple M4 simulated on host box | ane-sim:m4 | SIMULATED | "
                         "2026-03-01\\nOTHER: Apple M5"));
    assert_true(file_has(c->dat, "\n# var simulated \"1\"\n"));
    assert_true(file_has(c->dat, "\n# var nser \"1\"\n"));
    assert_true(file_has(c->dat, "\n# var peaks \"18600 nan\"\n"));
    assert_true(file_has(c->dat, "\n# var runs \"'ane-sim:m4' 'ane-sim:m5'\"\n"));
    assert_true(file_has(c->dat, "\n# var series \"'spatial=64'\"\n"));
    struct blocks b;
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 2);
    assert_string_equal(b.title[0], "ane-sim:m4 spatial=64");
    assert_string_equal(b.title[1], "ane-sim:m5 spatial=64");

    c = find_chart(&l, "/ratio");
    assert_true(c->has_data);
    assert_non_null(strstr(c->title, "\nOTHER: Apple M5 simulated"));
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.title[0], "ane-sim:m5 / ane-sim:m4");
    assert_int_equal(b.rows[0], 3);
    assert_true(fabs(b.first[0][1] - 2.5) < 1e-9);
    assert_true(fabs(b.first[0][2] - 2.5 * 0.9 / 1.1) < 1e-6); /* OTHER low / BASE high */
    assert_true(fabs(b.first[0][3] - 2.5 * 1.1 / 0.9) < 1e-6);
    chartlist_free(&l);
    free_run(&runs[0]);
    free_run(&runs[1]);
}

/* An overnight sweep: 7 spatial sizes x 2 io types = 14 curves, more than a
 * legend holds: the channels chart keeps the variant with most curves. */
static void test_curve_cap(void **state)
{
    (void)state;
    ab_run run = {0};
    snprintf(run.origin, sizeof run.origin, "mem");
    for (int io = 1; io >= 0; io--)
        for (long sp = 16; sp <= 1024; sp *= 2)
            for (long cin = 64; cin <= 256; cin *= 2) {
                if (io == 1 && sp == 1024)
                    continue; /* fp16 has one size fewer: fp32 is the main variant */
                add_rec(&run, "ane-sim:m5", 1, cin, sp, 21, 1000.0 * cin);
                ab_record *r = &run.recs[run.n - 1];
                r->params.v[AX_IO] = io;
                char key[AB_KEY_MAX];
                case_key(&r->params, key, sizeof key);
                record_set_text(&r->key, key);
            }
    ab_chartlist l;
    ab_err e;
    assert_int_equal(plotdata_write_all(&run, 1, tmpdir, NULL, &l, &e), 0);
    const ab_chart *c = find_chart(&l, "/gflops_vs_channels");
    assert_true(c->has_data);
    assert_string_equal(c->note, "cases with io=fp32 (6 curves of other variants not drawn)");
    struct blocks b;
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 7);
    assert_string_equal(b.title[0], "spatial=16");
    assert_string_equal(b.title[6], "spatial=1024");
    /* 3 cin x 13 io/spatial pairs: the spatial chart has 3 cin x 2 io = 6 curves, all drawn */
    c = find_chart(&l, "/gflops_vs_spatial");
    assert_string_equal(c->note, "");
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 6);
    assert_string_equal(b.title[0], "cin=64 io=fp32");
    chartlist_free(&l);
    free_run(&run);
}

/* Two runs of one backend on no named chip: the legend tells them apart by
 * their folders, and by their numbers when the folders are named alike. */
static void test_same_backend_labels(void **state)
{
    (void)state;
    ab_run runs[2];
    memset(runs, 0, sizeof runs);
    snprintf(runs[0].origin, sizeof runs[0].origin, "results/20261125T1700-box-cpu/results.json");
    snprintf(runs[1].origin, sizeof runs[1].origin, "other/20261126T0900-box-cpu/");
    long cins[3] = {64, 128, 256};
    for (int r = 0; r < 2; r++) {
        set_meta(&runs[r], "cpu", 0, NULL, NULL, 0);
        for (int i = 0; i < 3; i++)
            add_rec(&runs[r], "cpu", 0, cins[i], 64, 21, 1000.0 * (i + 1) * (r + 1));
    }
    char lab[2][PLOT_LABEL_MAX];
    plot_run_labels(runs, 2, lab[0], PLOT_LABEL_MAX);
    assert_string_equal(lab[0], "cpu (20261125T1700-box-cpu)");
    assert_string_equal(lab[1], "cpu (20261126T0900-box-cpu)");

    ab_chartlist l;
    ab_err e;
    assert_int_equal(plotdata_write_all(runs, 2, tmpdir, NULL, &l, &e), 0);
    const ab_chart *c = find_chart(&l, "/overlay");
    assert_string_equal(c->runs, "'cpu (20261125T1700-box-cpu)' 'cpu (20261126T0900-box-cpu)'");
    assert_false(c->simulated);
    assert_string_equal(c->title, "BASE cpu (20261125T1700-box-cpu): host box | cpu | 2026-03-01\n"
                                  "OTHER cpu (20261126T0900-box-cpu): host box | cpu | 2026-03-01");
    struct blocks b;
    read_blocks(find_chart(&l, "/ratio")->dat, &b);
    assert_string_equal(b.title[0], "cpu (20261126T0900-box-cpu) / cpu (20261125T1700-box-cpu)");
    chartlist_free(&l);

    /* folders named alike: numbered */
    snprintf(runs[1].origin, sizeof runs[1].origin, "copy/20261125T1700-box-cpu");
    plot_run_labels(runs, 2, lab[0], PLOT_LABEL_MAX);
    assert_string_equal(lab[0], "cpu (run 1)");
    assert_string_equal(lab[1], "cpu (run 2)");
    free_run(&runs[0]);
    free_run(&runs[1]);
}

/* The render line works from any folder: absolute data, image and script,
 * quoted for a shell, with the chart's settings left to the file. */
static void test_render_line(void **state)
{
    (void)state;
    ab_run run = {0};
    snprintf(run.origin, sizeof run.origin, "mem");
    set_meta(&run, "ane-sim:m5", 1, NULL, "Apple M5", 12300);
    add_rec(&run, "ane-sim:m5", 1, 64, 64, 21, 1000);
    add_rec(&run, "ane-sim:m5", 1, 128, 64, 21, 2000);
    char cwd[1024], want[2048];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tmpdir), 0);
    assert_int_equal(mkdir("rel", 0777), 0);
    ab_chartlist l;
    ab_err e;
    assert_int_equal(plotdata_write_all(&run, 1, "./rel", "/opt/ane bench/plots", &l, &e), 0);
    const ab_chart *c = find_chart(&l, "/gflops_vs_channels");
    snprintf(
        want, sizeof want,
        "\n# render: gnuplot -c '/opt/ane bench/plots/gflops_vs_channels.gp' '%s/rel/gflops_vs_channels.dat' "
        "'%s/rel/gflops_vs_channels.png' 'png'\n",
        tmpdir, tmpdir);
    assert_true(file_has(c->dat, want));
    assert_true(file_has(c->dat, "\n# var simulated \"1\"\n"));
    assert_true(file_has(c->dat, "\n# var peak \"12300\"\n"));
    assert_true(file_has(c->dat, "SIMULATED"));
    char cmd[2048];
    plot_render_cmd(c, "svg", NULL, cmd, sizeof cmd);
    snprintf(want, sizeof want,
             "gnuplot -c 'plots/gflops_vs_channels.gp' '%s/rel/gflops_vs_channels.dat' "
             "'%s/rel/gflops_vs_channels.svg' 'svg'",
             tmpdir, tmpdir);
    assert_string_equal(cmd, want);
    chartlist_free(&l);
    assert_int_equal(chdir(cwd), 0);
    free_run(&run);
}

static void test_unwritable_dir(void **state)
{
    (void)state;
    ab_run run = {0};
    snprintf(run.origin, sizeof run.origin, "mem");
    add_rec(&run, "cpu", 0, 64, 64, 21, 1000);
    add_rec(&run, "cpu", 0, 128, 64, 21, 1000);
    ab_chartlist l;
    ab_err e;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/does/not/exist", tmpdir);
    assert_int_equal(plotdata_write_all(&run, 1, dir, NULL, &l, &e), AB_EUSAGE);
    assert_non_null(strstr(e.msg, "does/not/exist"));
    assert_null(l.v);
    free_run(&run);
}

/* A journal that holds a case twice (it was run again) plots it once, with
 * its last record: plot reads through the reader's one path, where the
 * last record of a key wins. */
static void test_repeated_journal_line(void **state)
{
    (void)state;
    ab_run mem = {0};
    add_rec(&mem, "cpu", 0, 64, 64, 21, 1000); /* superseded below */
    add_rec(&mem, "cpu", 0, 128, 64, 21, 2000);
    add_rec(&mem, "cpu", 0, 256, 64, 21, 3000);
    add_rec(&mem, "cpu", 0, 64, 64, 21, 2000); /* the case again: this one counts */
    char path[128];
    snprintf(path, sizeof path, "%s/cases.jsonl", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (size_t i = 0; i < mem.n; i++) {
        cJSON *j = record_to_json(&mem.recs[i], 1);
        char *line = cJSON_PrintUnformatted(j);
        fprintf(f, "%s\n", line);
        free(line);
        cJSON_Delete(j);
    }
    fclose(f);
    free_run(&mem);

    ab_run run;
    ab_err e;
    if (run_load(&run, path, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(run.n, 3);
    assert_int_equal(run.n_superseded, 1);
    ab_chartlist l;
    assert_int_equal(plotdata_write_all(&run, 1, tmpdir, NULL, &l, &e), 0);
    const ab_chart *c = find_chart(&l, "/gflops_vs_channels");
    assert_true(c->has_data);
    struct blocks b;
    read_blocks(c->dat, &b);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.rows[0], 3); /* cin 64 once, not twice */
    /* cin 64: 2*64*64*64 flops in the later record's 2000 ns */
    assert_true(b.first[0][0] == 64);
    assert_true(fabs(b.first[0][3] - 262.144) < 1e-3);
    chartlist_free(&l);
    run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_one_run),
        cmocka_unit_test(test_qos_chart),
        cmocka_unit_test(test_sram_chart),
        cmocka_unit_test(test_two_runs),
        cmocka_unit_test(test_curve_cap),
        cmocka_unit_test(test_same_backend_labels),
        cmocka_unit_test(test_render_line),
        cmocka_unit_test(test_unwritable_dir),
        cmocka_unit_test(test_repeated_journal_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
