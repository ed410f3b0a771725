/* runview.c: a loaded run made ready to be shown (see runview.h). */
#include "harness/runview.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

void ab_scrub_text(char *s)
{
    if (!s)
        return;
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            p[0] = p[1] = '?';
    }
}

/* Every key and string value in the tree (cJSON limits nesting to 1000). */
static void scrub_json(cJSON *j)
{
    for (; j; j = j->next) {
        ab_scrub_text(j->string);
        if (cJSON_IsString(j))
            ab_scrub_text(j->valuestring);
        scrub_json(j->child);
    }
}

void record_scrub_text(ab_record *rec)
{
    /* Every text field of the record: the record's field table says which. */
    char *r = (char *)rec;
    for (size_t f = 0; f < ab_record_nfields; f++) {
        const ab_field *fd = &ab_record_fields[f];
        if (fd->type == RF_CHARS)
            ab_scrub_text(r + fd->off);
        else if (fd->type == RF_TEXT &&
                 **(char **)(void *)(r + fd->off)) /* owned (the shared "" left alone) */
            ab_scrub_text(*(char **)(void *)(r + fd->off));
    }
}

void run_scrub_text(ab_run *run)
{
    for (size_t i = 0; i < run->n; i++)
        record_scrub_text(&run->recs[i]);
    run_scrub_info(run);
}

void run_scrub_info(ab_run *run)
{
    ab_runinfo *ri = &run->info;
    char *info[] = {ri->run_id,       ri->started,        ri->finished,       ri->interrupted,
                    ri->tool_version, ri->tool_git,       ri->hostname,       ri->os,
                    ri->os_build,     ri->cpu_model,      ri->chip,           ri->ane_family,
                    ri->ane_subtype,  ri->backend,        ri->engine,         ri->profile,
                    ri->backend_chip, ri->backend_family, ri->backend_subtype};
    for (size_t k = 0; k < sizeof info / sizeof info[0]; k++)
        ab_scrub_text(info[k]);
    ab_scrub_json(ri->doc);
    ab_scrub_text(run->origin);
}

void ab_scrub_json(void *json)
{
    if (json) {
        ab_scrub_text(((cJSON *)json)->string);
        if (cJSON_IsString((cJSON *)json))
            ab_scrub_text(((cJSON *)json)->valuestring);
        scrub_json(((cJSON *)json)->child);
    }
}
