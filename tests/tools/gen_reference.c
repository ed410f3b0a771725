/* gen_reference.c: transcribes the seed's real Apple M5 figures
 * (shared/seeds/m5result.md, from maderix/ANE training/m5result.md) into
 * the project's result format: results/reference/seed-m5/results.json.
 *
 *   gen_reference OUT.json
 *
 * Records are made with record_init and written with record_to_json, so the
 * file follows the format as the harness writes it; ctest checks that the
 * committed file is what this program writes (results/reference/README.md
 * says what each figure is and which fields the seed did not report). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/case.h"
#include "harness/error.h"
#include "harness/record.h"

/* test_qos_sweep: 256x256 conv, spatial 64; times in ms as printed. */
static const struct {
    int qos;
    double compile, load, eval1, avg10;
} qos_table[] = {
    {0, 13.9, 15.6, 0.22, 0.11}, {1, 11.6, 1.8, 0.17, 0.07},  {5, 11.4, 1.7, 0.17, 0.07},
    {10, 12.0, 1.8, 0.18, 0.06}, {21, 11.8, 1.7, 0.18, 0.08}, {33, 11.5, 1.7, 0.17, 0.06},
    {47, 10.8, 1.7, 0.18, 0.06}, {63, 11.3, 1.7, 0.17, 0.07},
};

/* test_weight_reload: 64x64 conv, spatial 32 (compile+load 33.3 ms is one
 * figure in the seed and has no field of its own: see the README). */
static const double reload_unload_ms = 0.5, reload_reload_ms = 3.8;

static void common(ab_record *r, const ab_case *c)
{
    record_init(r, c);
    record_printf(&r->backend, "ane");
    r->simulated = false;
    r->status = AB_ST_OK;
    r->flops = case_flops(c);
    r->bytes = case_bytes(c);
    r->verify_pass = -1; /* the seed did not check outputs against a reference */
    r->attempt = 1;
    snprintf(r->eval_path, sizeof r->eval_path, "normal");
    record_printf(&r->hw_reason, "not reported by the seed");
    /* r->started stays "" (null): only the day is known, and run.json has it. */
}

static cJSON *meta(size_t n)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "schema_version", AB_SCHEMA_VERSION);
    cJSON_AddStringToObject(m, "kind", "anebench-run");
    cJSON_AddStringToObject(m, "run_id", "20260301-seed-m5-ane");
    cJSON_AddArrayToObject(m, "argv"); /* not run by anebench: no command line */
    cJSON_AddStringToObject(m, "started", "2026-03-01");
    cJSON_AddNullToObject(m, "finished");
    cJSON *t = cJSON_AddObjectToObject(m, "tool");
    cJSON_AddStringToObject(t, "name", "maderix/ANE training probes (transcribed, not anebench)");
    cJSON_AddNullToObject(t, "version");
    cJSON_AddNullToObject(t, "git");
    cJSON *h = cJSON_AddObjectToObject(m, "host");
    cJSON_AddNullToObject(h, "hostname");
    cJSON_AddStringToObject(h, "os", "macOS 26.3 (Darwin 25.3.0)");
    cJSON_AddNullToObject(h, "os_build");
    cJSON_AddNullToObject(h, "cpu_model");
    cJSON_AddStringToObject(h, "chip", "Apple M5");
    cJSON_AddNullToObject(h, "cores");
    cJSON_AddNullToObject(h, "mem_bytes");
    cJSON_AddStringToObject(h, "ane_family", "H16");
    cJSON_AddNullToObject(h, "ane_subtype");
    cJSON_AddNullToObject(h, "ane_cores");
    cJSON_AddNullToObject(h, "thermal_state");
    cJSON_AddNullToObject(h, "power_source");
    cJSON *b = cJSON_AddObjectToObject(m, "backend");
    cJSON_AddStringToObject(b, "name", "ane");
    cJSON_AddStringToObject(b, "engine", "ane");
    cJSON_AddNullToObject(b, "profile");
    cJSON_AddBoolToObject(b, "simulated", 0);
    cJSON_AddNullToObject(b, "peak_gflops");
    cJSON *tm = cJSON_AddObjectToObject(m, "timer");
    cJSON_AddNullToObject(tm, "source");
    cJSON_AddNullToObject(tm, "resolution_ns");
    cJSON_AddNullToObject(tm, "overhead_ns");
    cJSON *s = cJSON_AddObjectToObject(m, "settings");
    cJSON_AddNumberToObject(s, "min_samples", 10);
    cJSON_AddNumberToObject(s, "max_samples", 10);
    cJSON *sel = cJSON_AddObjectToObject(m, "selection");
    cJSON_AddStringToObject(sel, "preset", "seed-m5");
    cJSON_AddNullToObject(sel, "sweep_file");
    cJSON_AddArrayToObject(sel, "axis");
    cJSON_AddArrayToObject(sel, "zip");
    cJSON_AddNumberToObject(m, "case_count", (double)n);
    cJSON *p = cJSON_AddObjectToObject(m, "provenance");
    cJSON_AddStringToObject(p, "source", "shared/seeds/m5result.md (maderix/ANE, training/m5result.md)");
    cJSON_AddStringToObject(p, "machine", "Apple M5, macOS 26.3 (Darwin 25.3.0), ANE family H16");
    cJSON_AddStringToObject(p, "date", "2026-03-01");
    cJSON_AddStringToObject(p, "transcribed_by", "tests/tools/gen_reference.c");
    cJSON *notes = cJSON_AddArrayToObject(p, "notes");
    static const char *const text[] = {
        "eval_ns.median and eval_ns.mean both hold the seed's Eval(avg10): a mean of 10 evals, not a median; "
        "no raw samples, spread or confidence interval was reported, so those fields are null",
        "first_eval_ms is the seed's Eval(1); compile_ms and load_ms are its Compile and Load columns",
        "the 64x64 spatial-32 case reports only unload (0.5 ms) and reload (3.8 ms); the seed gives compile "
        "and load as one sum (33.3 ms), which has no field, so compile_ms and load_ms are null there",
        "times were printed to 0.01 ms (eval) and 0.1 ms (phases): eval figures carry up to 8% rounding",
        "outputs were not checked against a reference (verify_pass null); hwExecutionTime was not reported",
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(text[i]));
    return m;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_reference OUT.json\n");
        return 2;
    }
    size_t nq = sizeof qos_table / sizeof qos_table[0];
    cJSON *doc = meta(nq + 1);
    cJSON *cases = cJSON_AddArrayToObject(doc, "cases");
    ab_record r;
    ab_case c;
    for (size_t i = 0; i < nq; i++) {
        case_default(&c);
        c.v[AX_CIN] = c.v[AX_COUT] = 256;
        c.v[AX_SPATIAL] = 64;
        c.v[AX_QOS] = qos_table[i].qos;
        c.index = i;
        common(&r, &c);
        r.compile_ms = qos_table[i].compile;
        r.load_ms = qos_table[i].load;
        r.first_eval_ms = qos_table[i].eval1;
        r.eval.n = 10;
        r.eval.median = r.eval.mean = qos_table[i].avg10 * 1e6; /* ms -> ns */
        r.gflops_wall = r.flops / r.eval.median;
        cJSON_AddItemToArray(cases, record_to_json(&r, 1));
        record_free(&r);
    }
    case_default(&c);
    c.v[AX_CIN] = c.v[AX_COUT] = 64;
    c.v[AX_SPATIAL] = 32;
    c.index = nq;
    common(&r, &c);
    r.unload_ms = reload_unload_ms;
    r.reload_ms = reload_reload_ms;
    cJSON_AddItemToArray(cases, record_to_json(&r, 1));
    record_free(&r);

    char *text = cJSON_Print(doc);
    FILE *f = fopen(argv[1], "w");
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF || fclose(f)) {
        perror(argv[1]);
        return 1;
    }
    cJSON_free(text);
    cJSON_Delete(doc);
    return 0;
}
