/* fuzz_results_json.c: libFuzzer target for run_load_results_json (harness/reader.h): any bytes
 * give either a clean error or a run whose records are well formed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "harness/reader.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_tmpfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_tmp_write(data, size, ".json");
    if (!path)
        return 0;
    ab_run run;
    ab_err e;
    memset(&run, 0, sizeof run);
    ab_err_clear(&e);
    if (run_load_results_json(&run, path, &e) == AB_OK) {
        fuzz_check_run(&run);
    } else if (e.msg[0] == '\0' || strchr(e.msg, '\n')) {
        abort(); /* an error is one line that says something */
    }
    run_free(&run);
    return 0;
}
