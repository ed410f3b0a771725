/* fuzz_worker_msg.c: libFuzzer target for the worker protocol's framing and
 * messages (harness/worker.h): whatever a broken worker writes, the
 * scheduler's reader returns lines or an error, and each line parses to a
 * message or to a one-line error; records are decoded as the scheduler does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness/worker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    /* The first byte chooses how the stream is cut into reads. */
    size_t chunk = (size_t)data[0] % 17 + 1;
    data++;
    size--;
    ab_linebuf lb;
    linebuf_init(&lb);
    lb.max = 4096;
    ab_err e;
    for (size_t off = 0; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        if (linebuf_feed(&lb, (const char *)data + off, n, &e) != AB_OK)
            break;
        char *line;
        while ((line = linebuf_next(&lb)) != NULL) {
            if (strchr(line, '\n'))
                abort(); /* a returned line never holds its terminator */
            ab_wmsg m;
            ab_err_clear(&e);
            if (wmsg_parse(line, &m, &e) != AB_OK) {
                if (!e.msg[0] || m.record_json)
                    abort();
                continue;
            }
            if (m.kind == WM_RECORD) {
                ab_record r;
                memset(&r, 0, sizeof r);
                if (record_from_json(m.record_json, &r, &e) == AB_OK)
                    record_free(&r);
            }
            wmsg_free(&m);
        }
    }
    linebuf_free(&lb);
    return 0;
}
