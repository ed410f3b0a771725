/* fuzz_check.h: properties every successfully loaded run must have,
 * checked by the reader fuzzers: each record survives a trip through its
 * JSON form (record_to_json -> record_from_json) with key and status intact. */
#ifndef AB_FUZZ_CHECK_H
#define AB_FUZZ_CHECK_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/reader.h"

static void fuzz_check_run(const ab_run *run)
{
    for (size_t i = 0; i < run->n; i++) {
        const ab_record *r = &run->recs[i];
        cJSON *j = record_to_json(r, 1);
        if (!j)
            abort();
        ab_record back;
        ab_err e;
        memset(&back, 0, sizeof back);
        if (record_from_json(j, &back, &e) != AB_OK) {
            fprintf(stderr, "record %zu does not survive its JSON form: %s\n", i, e.msg);
            abort();
        }
        if (strcmp(back.key, r->key) != 0 || back.status != r->status ||
            back.n_eval_samples != r->n_eval_samples) {
            fprintf(stderr, "record %zu changed through its JSON form\n", i);
            abort();
        }
        record_free(&back);
        cJSON_Delete(j);
    }
}

#endif
