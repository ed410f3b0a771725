/* fuzz_sweep.c: libFuzzer target for sweep files, VALUES strings, --axis /
 * --zip arguments and case keys. Any input must give either a sweep or an
 * AB_EUSAGE with a one-line message; never a crash, leak or hang.
 * Seed corpus: tests/fuzz/corpus/sweep/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/axis.h"
#include "harness/case.h"
#include "harness/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (a finding) when an error breaks the one-line contract. */
static void check_err(int rc, const ab_err *e)
{
    if (rc != 0 && (rc != AB_EUSAGE || !e->msg[0] || strchr(e->msg, '\n')))
        abort();
}

static void fuzz_sweep_text(const char *text, size_t size)
{
    ab_sweep s;
    ab_err e;
    sweep_init(&s);
    ab_err_clear(&e);
    int rc = sweep_load_text(&s, text, size, "fuzz.json", &e);
    check_err(rc, &e);
    if (rc == 0) {
        ab_case *cases = NULL;
        size_t n = 0;
        rc = sweep_enumerate(&s, 1e9, &cases, &n, &e);
        check_err(rc, &e);
        for (size_t i = 0; rc == 0 && i < n && i < 256; i++) {
            char key[AB_KEY_MAX];
            ab_case back;
            case_key(&cases[i], key, sizeof key);
            /* Every enumerated key parses back to the same case. */
            if (case_from_key(key, &back, &e) != 0 || memcmp(back.v, cases[i].v, sizeof back.v))
                abort();
        }
        free(cases);
    }
    sweep_free(&s);
}

static void fuzz_strings(const char *str)
{
    ab_err e;
    for (int a = 0; a < AX_COUNT; a++) {
        long *v = NULL;
        size_t n = 0;
        int rc = axis_parse_values(&ab_axes[a], str, &v, &n, &e);
        check_err(rc, &e);
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (v[i] < ab_axes[a].min || v[i] > ab_axes[a].max)
                abort(); /* parsed values are always in range */
        free(v);
    }
    ab_case c;
    check_err(case_from_key(str, &c, &e), &e);
    ab_sweep s;
    sweep_init(&s);
    check_err(sweep_set_axis(&s, str, &e), &e);
    check_err(sweep_zip(&s, str, &e), &e);
    sweep_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The sweep parser takes a length; give it an exact-size copy so ASan
     * sees any read past the end. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    fuzz_sweep_text(text, size);
    free(text);
    if (size > 4096) /* the string parsers are linear; keep runs fast */
        return 0;
    char *str = malloc(size + 1);
    if (!str)
        return 0;
    memcpy(str, data, size);
    str[size] = '\0';
    fuzz_strings(str);
    free(str);
    return 0;
}
