/* gen_compare_fixture.c: writes a synthetic results.json for the compare
 * tests and the compare speed benchmark, through the project's own record
 * writer (record_to_json), so the fixtures follow the format as it is.
 *
 *   gen_compare_fixture OUT.json base|other N [SAMPLES] [BACKEND] [FIRST]
 *
 * OUT.csv writes the same records as a cases.csv (through the CSV record
 * writer and libcsv's quoting) instead.
 *
 * Case i has a distinct key. "base" gives every case a median of 100 us
 * with SAMPLES raw samples (default 30) spread +-1%. "other" follows a
 * pattern of 8 that the end-to-end test checks class by class:
 *   i%8 == 0 faster  (-20%)       1 slower (+20%)     2 same (+1%)
 *          3 unclear (+20%, 3 wide samples per side)  4 faster (-30%)
 *          5 same (-2%)            6 status differs (failed)  7 same (+0%)
 * and, for N >= 2, leaves case N-1 out (only in BASE) and has case N in
 * its place (only in OTHER). The values are a deterministic function of i. */
#include <cjson/cJSON.h>
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/case.h"
#include "harness/record.h"

static void case_of(size_t i, ab_case *c)
{
    case_default(c);
    c->v[AX_QOS] = (long)(i % 64);
    c->v[AX_PROCEDURE] = (long)((i / 64) % 16);
    c->v[AX_SPATIAL] = 32L * (long)(1 + (i / 1024) % 8);
    c->v[AX_CIN] = c->v[AX_COUT] = 64L * (long)(1 + i / 8192);
    c->index = i;
}

static void fill(ab_record *r, size_t i, int other, size_t nsamples, const char *backend, int sim)
{
    ab_case c;
    case_of(i, &c);
    record_init(r, &c);
    record_printf(&r->backend, "%s", backend);
    r->simulated = sim;
    r->status = AB_ST_OK;
    r->flops = case_flops(&c);
    r->bytes = case_bytes(&c);
    r->compile_ms = 11.0;
    r->load_ms = 1.7;
    r->first_eval_ms = 0.18;
    r->unload_ms = 0.5;
    r->reload_ms = 3.8;
    r->verify_pass = 1;
    r->attempt = 1;
    snprintf(r->eval_path, sizeof r->eval_path, "normal");
    snprintf(r->started, sizeof r->started, "2026-11-25T12:00:00Z");
    double median = 100000.0, spread = 0.02;
    size_t n = nsamples;
    if (other) {
        static const double f[8] = {0.80, 1.20, 1.01, 1.20, 0.70, 0.98, 1.0, 1.0};
        median *= f[i % 8];
        r->compile_ms *= f[i % 8];
        if (i % 8 == 6) {
            r->status = AB_ST_FAILED;
            record_printf(&r->reason, "compile failed (fixture)");
            return;
        }
    }
    if (i % 8 == 3) { /* too few, too wide samples to call */
        n = 3;
        spread = 1.0;
    }
    double *x = malloc((n ? n : 1) * sizeof *x);
    for (size_t k = 0; k < n; k++) /* interleaved so that order carries no trend */
        x[k] = median * (1.0 + spread * (((double)((k * 7) % n) / (double)(n > 1 ? n - 1 : 1)) - 0.5));
    record_set_eval_samples(r, x, n);
    free(x);
}

static cJSON *meta(const char *backend, int sim, size_t n, const char *started)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "schema_version", AB_SCHEMA_VERSION);
    cJSON_AddStringToObject(m, "kind", "anebench-run");
    cJSON_AddStringToObject(m, "run_id", "fixture");
    cJSON_AddStringToObject(m, "started", started);
    cJSON_AddStringToObject(m, "finished", started);
    cJSON *t = cJSON_AddObjectToObject(m, "tool");
    cJSON_AddStringToObject(t, "name", "anebench");
    cJSON_AddStringToObject(t, "version", "0.1.0");
    cJSON_AddStringToObject(t, "git", "fixture");
    cJSON *h = cJSON_AddObjectToObject(m, "host");
    cJSON_AddStringToObject(h, "chip", "Fixture chip");
    cJSON_AddStringToObject(h, "os", "Linux");
    cJSON_AddStringToObject(h, "os_build", "fixture");
    cJSON *b = cJSON_AddObjectToObject(m, "backend");
    cJSON_AddStringToObject(b, "name", backend);
    cJSON_AddBoolToObject(b, "simulated", sim);
    cJSON_AddNumberToObject(m, "case_count", (double)n);
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[2], "base") && strcmp(argv[2], "other"))) {
        fprintf(stderr, "usage: gen_compare_fixture OUT.json base|other N [SAMPLES] [BACKEND] [FIRST]\n");
        return 2;
    }
    int other = !strcmp(argv[2], "other");
    size_t n = strtoul(argv[3], NULL, 10);
    size_t ns = argc > 4 ? strtoul(argv[4], NULL, 10) : 30;
    const char *backend = argc > 5 ? argv[5] : "cpu";
    size_t first = argc > 6 ? strtoul(argv[6], NULL, 10) : 0;
    int sim = strstr(backend, "sim") != NULL;
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t plen = strlen(argv[1]);
    if (plen > 4 && !strcmp(argv[1] + plen - 4, ".csv")) {
        size_t nc = record_csv_ncolumns();
        const char *const *names = record_csv_columns();
        for (size_t c = 0; c < nc; c++) {
            fputs(c ? "," : "", f);
            csv_fwrite(f, names[c], strlen(names[c]));
        }
        fputs("\n", f);
        for (size_t k = 0; k < n; k++) {
            size_t i = other && n >= 2 && k == n - 1 ? n : k;
            ab_record r;
            fill(&r, first + i, other, ns, backend, sim);
            char **v = record_to_csv_fields(&r, NULL);
            for (size_t c = 0; v && c < nc; c++) {
                fputs(c ? "," : "", f);
                csv_fwrite(f, v[c], strlen(v[c]));
                free(v[c]);
            }
            free(v);
            fputs("\n", f);
            record_free(&r);
        }
        return fclose(f) ? 1 : 0;
    }
    /* Written record by record so that 20,000 cases need little memory. */
    cJSON *m = meta(backend, sim, n, other ? "2026-11-25T13:00:00Z" : "2026-11-25T12:00:00Z");
    char *head = cJSON_PrintUnformatted(m);
    head[strlen(head) - 1] = '\0'; /* drop the closing brace */
    fprintf(f, "%s,\"cases\":[", head);
    cJSON_free(head);
    cJSON_Delete(m);
    for (size_t k = 0; k < n; k++) {
        /* other: case n-1 left out, case n (its own) in its place */
        size_t i = other && n >= 2 && k == n - 1 ? n : k;
        ab_record r;
        fill(&r, first + i, other, ns, backend, sim);
        cJSON *j = record_to_json(&r, 1);
        char *s = cJSON_PrintUnformatted(j);
        fprintf(f, "%s%s", k ? "," : "", s);
        cJSON_free(s);
        cJSON_Delete(j);
        record_free(&r);
    }
    fprintf(f, "]}\n");
    return fclose(f) ? 1 : 0;
}
