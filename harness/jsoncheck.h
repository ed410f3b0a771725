/* jsoncheck.h: what cJSON accepts silently and anebench refuses: a key
 * given twice in one object (cJSON keeps both; lookups see the first), and
 * text after the JSON value. Linear-logarithmic in the number of keys, so a
 * hostile file with 100,000 keys is refused at once. */
#ifndef AB_JSONCHECK_H
#define AB_JSONCHECK_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "harness/error.h"

/* The first key (in sorted order) that obj, an object, holds twice; NULL
 * when none (or obj is no object). same_ok: a key repeated with the same
 * value is not ambiguous and passes (results files of an earlier anebench,
 * like tests/fixtures/plot, hold backend.engine twice); a sweep file, which
 * a person writes, gets 0. *oom (if not NULL) is set to 1 when there was
 * no memory to check. */
const char *ab_json_dup_key(const cJSON *obj, int same_ok, int *oom);

/* The same through item and every object nested in it (iteratively: no
 * recursion on hostile depth). where (n bytes) gets the path of the object
 * holding the duplicate, like `cases[3].stats` ("" for item itself). */
const char *ab_json_dup_key_deep(const cJSON *item, int same_ok, char *where, size_t n, int *oom);

/* 1 when text[0..len) holds only JSON white space. */
int ab_json_only_space(const char *text, size_t len);

/* Parses a whole JSON document as anebench reads its own files: a syntax
 * error, text after the document, or a key given twice (with two values)
 * anywhere is
 * AB_EUSAGE naming path and the line (or the object holding the key).
 * Caller owns the result; NULL on error. */
cJSON *ab_json_parse_doc(const char *path, const char *text, size_t len, ab_err *e);

#endif
