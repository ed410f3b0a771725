/* cmd_export.c: `anebench export RUN -o FILE.json`: one redacted,
 * self-describing submission file of a run (harness/export.c). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/commands.h"
#include "bench/share_out.h"
#include "harness/export.h"
#include "harness/reader.h"

static const char usage_text[] =
    "usage: anebench export RUN -o FILE.json\n"
    "\n"
    "Writes one file to share a run (a submission): run.json's facts and every case's\n"
    "record (the last of each key and round, with its samples), plus a hardware hash (chip, CPU,\n"
    "memory, core counts, ANE family/subtype/cores: never a serial number), the tool's\n"
    "version, commit and whether its tree was dirty, and the commands that made the run\n"
    "and the export. Removed: the host name, the user name and home folders wherever they\n"
    "appear as a word, and every absolute path (its last part is kept). compare, plot,\n"
    "report and leaderboard read the file wherever they take a run.\n"
    "\n"
    "  RUN        a run directory or its results.json (or another export)\n"
    "  -o FILE    where to write it (replaced whole); - for standard output\n"
    "  --help     this text\n"
    "\n"
    "exit codes: 0 done; 2 bad usage or input\n";

int cmd_export(int argc, char **argv)
{
    const char *run_path = NULL, *out = NULL;
    ab_err e;
    ab_err_clear(&e);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (!strcmp(s, "-o")) {
            if (i + 1 >= argc || !*argv[i + 1])
                return ab_report(AB_EUSAGE, "export: option '-o' needs a file name");
            out = argv[++i];
        } else if (s[0] == '-' && s[1]) {
            ab_errf(&e, AB_EUSAGE, "export: unknown option '%s' (see anebench export --help)", s);
            return ab_report(e.code, e.msg);
        } else if (run_path) {
            ab_errf(&e, AB_EUSAGE, "export takes one RUN: '%s' is a second one", s);
            return ab_report(e.code, e.msg);
        } else {
            run_path = s;
        }
    }
    if (!run_path)
        return ab_report(AB_EUSAGE, "export needs a RUN (see anebench export --help)");
    if (!out)
        return ab_report(AB_EUSAGE, "export needs -o FILE.json (or -o - for standard output)");

    ab_run run = {0};
    if (run_load(&run, run_path, &e) != 0)
        return ab_report(e.code ? e.code : AB_EUSAGE, e.msg);
    int rc = 0;
    cJSON *doc = export_build(&run, argc, argv, &e);
    char *text = doc ? cJSON_Print(doc) : NULL;
    if (!doc)
        rc = e.code;
    else if (!text)
        rc = ab_errf(&e, AB_EFAIL, "out of memory");
    else {
        size_t len = strlen(text);
        text[len] = '\n'; /* cJSON_Print leaves no final newline; the buffer has room for the NUL */
        if (share_write_output(out, text, len + 1, &e) != 0)
            rc = e.code;
    }
    if (rc)
        ab_report(rc, e.msg);
    free(text);
    cJSON_Delete(doc);
    run_free(&run);
    return rc;
}
