/* selection.c: the SELECTION options of `run` and `list` (--preset, --sweep,
 * --axis, --zip): collected from argv, then resolved into a sweep, its
 * settings and its cases. */
#include "bench/selection.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_PRESET "quick"

void selection_init(ab_selection *sel)
{
    memset(sel, 0, sizeof *sel);
    sweep_init(&sel->sweep);
}

void selection_free(ab_selection *sel)
{
    free(sel->axis_args);
    free(sel->zip_args);
    sweep_free(&sel->sweep);
    free(sel->text);
    selection_init(sel);
}

static int push_arg(const char ***list, size_t *n, const char *v, ab_err *e)
{
    const char **nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (!nl)
        return ab_errf(e, AB_EUSAGE, "out of memory");
    nl[(*n)++] = v;
    *list = nl;
    return 0;
}

int selection_consume(ab_selection *sel, int argc, char **argv, int *i, ab_err *e)
{
    static const char *const opts[] = {"--preset", "--sweep", "--axis", "--zip"};
    const char *arg = argv[*i];
    int which = -1;
    const char *value = NULL;
    for (int k = 0; k < 4; k++) {
        size_t len = strlen(opts[k]);
        if (!strncmp(arg, opts[k], len) && (arg[len] == '\0' || arg[len] == '=')) {
            which = k;
            value = arg[len] == '=' ? arg + len + 1 : NULL;
        }
    }
    if (which < 0)
        return 0;
    if (!value) {
        if (*i + 1 >= argc) {
            ab_errf(e, AB_EUSAGE, "%s: missing value", opts[which]);
            return -AB_EUSAGE;
        }
        value = argv[++*i];
    }
    if (!*value) {
        ab_errf(e, AB_EUSAGE, "%s: empty value", opts[which]);
        return -AB_EUSAGE;
    }
    int rc = 0;
    switch (which) {
    case 0:
        if (strlen(value) >= sizeof sel->preset)
            rc = ab_errf(e, AB_EUSAGE, "--preset: unknown preset '%.60s'", value);
        else
            ab_strlcpy(sel->preset, value, sizeof sel->preset);
        break;
    case 1:
        if (strlen(value) >= sizeof sel->sweep_file)
            rc = ab_errf(e, AB_EUSAGE, "--sweep: path too long '%.60s...'", value);
        else
            ab_strlcpy(sel->sweep_file, value, sizeof sel->sweep_file);
        break;
    case 2:
        rc = push_arg(&sel->axis_args, &sel->n_axis, value, e);
        break;
    default:
        rc = push_arg(&sel->zip_args, &sel->n_zip, value, e);
        break;
    }
    if (rc == 0 && sel->preset[0] && sel->sweep_file[0])
        rc = ab_errf(e, AB_EUSAGE, "%s: --preset and --sweep cannot be combined", opts[which]);
    return rc ? -AB_EUSAGE : 1;
}

int selection_resolve(ab_selection *sel, ab_settings *s, double max_mem_bytes, ab_case **cases, size_t *n,
                      ab_err *e)
{
    *cases = NULL;
    *n = 0;
    sweep_free(&sel->sweep);
    const char *origin = sel->sweep_file;
    char path[4096];
    if (!sel->sweep_file[0] && !sel->preset[0])
        ab_strlcpy(sel->preset, DEFAULT_PRESET, sizeof sel->preset);
    if (sel->stored_path[0]) {
        origin = sel->stored_path;
    } else if (!sel->sweep_file[0]) {
        if (sweep_preset_path(sel->preset, path, sizeof path, e))
            return AB_EUSAGE;
        origin = path;
    }
    free(sel->text);
    sel->text = NULL;
    if (sweep_read_file(origin, &sel->text, &sel->text_len, e) ||
        sweep_load_text(&sel->sweep, sel->text, sel->text_len, origin, e))
        return AB_EUSAGE;
    sweep_name_from_path(&sel->sweep, sel->sweep_file[0] ? sel->sweep_file : sel->preset);
    if (s && settings_apply_json(s, sel->sweep.settings, origin, e))
        return AB_EUSAGE;
    for (size_t i = 0; i < sel->n_axis; i++)
        if (sweep_set_axis(&sel->sweep, sel->axis_args[i], e))
            return AB_EUSAGE;
    for (size_t i = 0; i < sel->n_zip; i++)
        if (sweep_zip(&sel->sweep, sel->zip_args[i], e))
            return AB_EUSAGE;
    int rc = sweep_enumerate(&sel->sweep, max_mem_bytes, cases, n, e);
    if (rc == AB_EUSAGE && sel->sweep_file[0] && e) {
        /* A sweep of the user's own file: say which file the sweeps[i] is in. */
        char msg[sizeof e->msg];
        ab_strlcpy(msg, e->msg, sizeof msg);
        ab_errf(e, AB_EUSAGE, "%s: %s", sel->sweep_file, msg);
    }
    return rc;
}

void selection_help(FILE *f)
{
    fprintf(f,
            "SELECTION (default: --preset " DEFAULT_PRESET "):\n"
            "  --preset NAME              a sweep file of bench/presets/ (or $ANEBENCH_PRESETS)\n"
            "  --sweep FILE               a sweep file (format: docs/sweep-files.md)\n"
            "  --axis NAME=VALUES         set an axis in every sub-sweep (repeatable; overrides the file)\n"
            "  --zip A,B[,C]              advance these axes together (equal value counts) instead of\n"
            "                             taking their cartesian product (repeatable)\n"
            "VALUES: a,b,c | lo..hi | lo..hi:step | lo..hi*F (geometric, F >= 2) | names;\n"
            "        items may be mixed: 64,100..400:100\n"
            "axes (in case-key order):\n");
    for (int a = 0; a < AX_COUNT; a++) {
        const ab_axis_def *ax = &ab_axes[a];
        char range[64], def[32];
        if (ax->kind == AXIS_ENUM) {
            range[0] = '\0';
            for (int k = 0; ax->names[k]; k++) {
                if (k)
                    strncat(range, "|", sizeof range - strlen(range) - 1);
                strncat(range, ax->names[k], sizeof range - strlen(range) - 1);
            }
        } else {
            snprintf(range, sizeof range, "%ld..%ld", ax->min, ax->max);
        }
        axis_format_value(ax, ax->def, def, sizeof def);
        fprintf(f, "  %-10s %-12s default %-7s %s\n", ax->name, range, def, ax->help);
    }
    char **names;
    size_t count = sweep_preset_names(&names);
    fprintf(f, "presets:");
    for (size_t i = 0; i < count; i++) {
        fprintf(f, " %s", names[i]);
        free(names[i]);
    }
    free(names);
    fprintf(f, "%s\n", count ? "" : " (none found)");
}

void *selection_to_json(const ab_selection *sel)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (sel->preset[0])
        cJSON_AddStringToObject(o, "preset", sel->preset);
    else
        cJSON_AddNullToObject(o, "preset");
    if (sel->sweep_file[0])
        cJSON_AddStringToObject(o, "sweep_file", sel->sweep_file);
    else
        cJSON_AddNullToObject(o, "sweep_file");
    cJSON *axis = cJSON_AddArrayToObject(o, "axis");
    for (size_t i = 0; axis && i < sel->n_axis; i++)
        cJSON_AddItemToArray(axis, cJSON_CreateString(sel->axis_args[i]));
    cJSON *zip = cJSON_AddArrayToObject(o, "zip");
    for (size_t i = 0; zip && i < sel->n_zip; i++)
        cJSON_AddItemToArray(zip, cJSON_CreateString(sel->zip_args[i]));
    return o;
}
