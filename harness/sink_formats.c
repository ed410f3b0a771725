/* sink_formats.c: the output formats of a run directory, one ops struct
 * each (see sink.h), and the table ab_sinks that the run directory, resume
 * and every writer of a run walk. Each is fed the same record; none knows a
 * field by name (the record's field table does). */
#include <cjson/cJSON.h>
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "harness/sink.h"

/* ------------------------------------------------ cases.jsonl (the journal) */

static char *journal_line(const ab_record *r, const ab_runcols *run, size_t *len)
{
    (void)run; /* the journal's records do not repeat the run's facts */
    cJSON *j = record_to_json(r, 1);
    char *line = j ? sink_json_text(j, 0, len) : NULL;
    cJSON_Delete(j);
    return line;
}

const ab_sink_ops ab_sink_journal = {
    .name = "journal",
    .file = "cases.jsonl",
    .line = journal_line,
};

/* ------------------------------------------------------------- cases.csv */

/* One CSV row (header or record) built with libcsv's csv_write, ending in
 * "\n", so it can be appended with a single write. Returns a malloc'd line. */
static char *csv_line(const char *const *fields, size_t n, size_t *len_out)
{
    size_t cap = 2;
    for (size_t i = 0; i < n; i++)
        cap += csv_write(NULL, 0, fields[i], strlen(fields[i])) + 1;
    char *line = malloc(cap);
    if (!line)
        return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            line[len++] = ',';
        /* null / empty fields stay unquoted-empty; everything else is quoted */
        if (fields[i][0])
            len += csv_write(line + len, cap - len, fields[i], strlen(fields[i]));
    }
    line[len++] = '\n';
    line[len] = '\0';
    *len_out = len;
    return line;
}

static char *csv_header(size_t *len)
{
    return csv_line(record_csv_columns(), record_csv_ncolumns(), len);
}

static char *csv_record(const ab_record *r, const ab_runcols *run, size_t *len)
{
    char **fields = record_to_csv_fields(r, run);
    size_t nf = record_csv_ncolumns();
    char *line = fields ? csv_line((const char *const *)fields, nf, len) : NULL;
    for (size_t i = 0; fields && i < nf; i++)
        free(fields[i]);
    free(fields);
    return line;
}

const ab_sink_ops ab_sink_csv = {
    .name = "csv",
    .file = "cases.csv",
    .header = csv_header,
    .line = csv_record,
};

/* ---------------------------------------------------------- results.json */

static char *results_whole(const ab_runinfo *ri, const ab_record *recs, size_t n, size_t *len)
{
    cJSON *doc = ri ? runinfo_to_json(ri) : cJSON_CreateObject();
    cJSON *cases = cJSON_CreateArray();
    if (!doc || !cases) {
        cJSON_Delete(doc);
        cJSON_Delete(cases);
        return NULL;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(doc, "cases");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(cases, record_to_json(&recs[i], 1));
    cJSON_AddItemToObject(doc, "cases", cases);
    char *text = sink_json_text(doc, 1, len);
    cJSON_Delete(doc);
    return text;
}

const ab_sink_ops ab_sink_results = {
    .name = "results",
    .file = "results.json",
    .whole = results_whole,
};

/* --------------------------------------------------------------- the table */

/* Every format a run directory is written in. Adding one: a file with its
 * ab_sink_ops (line and header for a file appended case by case, whole for
 * one written at the end) and a row here. The journal stays first: it is
 * the record of truth, appended before any other. */
const ab_sink_ops *const ab_sinks[] = {&ab_sink_journal, &ab_sink_csv, &ab_sink_results, NULL};
