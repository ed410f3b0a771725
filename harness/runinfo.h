/* runinfo.h: a run's run.json, typed (DESIGN.md "Run directory").
 *
 * The one reader and the one writer of run.json (and of the run-level part
 * of results.json). The facts other code reads (ids, host, backend, tool,
 * times) are typed fields, each one row of a table in runinfo.c; everything
 * else the file holds (argv, timer, settings, selection, resumed, a
 * backend's own description, a reference file's provenance) is kept as it
 * is in doc and written back unchanged. A field a file leaves out or sets
 * to null reads as "" / NAN / -1. */
#ifndef AB_RUNINFO_H
#define AB_RUNINFO_H

#include <stdbool.h>
#include <stddef.h>
#include "harness/error.h"
#include "harness/record.h"

typedef struct ab_runinfo {
    int schema_version;
    char run_id[128];
    char started[40], finished[40], interrupted[40];
    double case_count; /* NAN unknown */
    char tool_version[64], tool_git[64];
    char hostname[128], os[128], os_build[128], cpu_model[160], chip[64];
    double cores, mem_bytes; /* NAN unknown */
    char ane_family[64], ane_subtype[64];
    char backend[AB_SPEC_MAX]; /* backend.name: the --backend spec */
    char engine[32], profile[32];
    int simulated; /* 1, 0, -1 unknown */
    char backend_chip[64], backend_family[64], backend_subtype[64];
    double peak_gflops; /* NAN unknown */
    double sim_scale;   /* the simulator's time scale (backend.sim_scale), NAN unknown */
    void *doc;          /* cJSON* of the whole file as read (owned), or NULL */
} ab_runinfo;

/* An empty run info (every field unknown, doc NULL). */
void runinfo_init(ab_runinfo *ri);
void runinfo_free(ab_runinfo *ri);

/* Reads the typed fields of a run.json / results.json document (cJSON*;
 * "cases" is not looked at) and keeps a copy of it in ri->doc. AB_EUSAGE
 * naming the member when one has the wrong type, or when the document is
 * not an anebench run of a schema version this build reads; where names
 * the file in the message. */
int runinfo_from_json(const void *doc, const char *where, ab_runinfo *ri, ab_err *e);
/* 1 when a document of this "kind" holds a run: "anebench-run" (run.json,
 * results.json) or "anebench-export" (a redacted results.json, see
 * harness/export.h). */
int runinfo_kind_known(const char *kind);
/* Reads path (a run.json). */
int runinfo_read(const char *path, ab_runinfo *ri, ab_err *e);
/* The document to write: ri->doc (or a new object) with every typed field
 * set from ri. Caller owns the cJSON*. */
void *runinfo_to_json(const ab_runinfo *ri);
/* A deep copy (doc included). */
int runinfo_copy(ab_runinfo *dst, const ab_runinfo *src);

/* The run-level columns of cases.csv. chip: the chip measured (host.chip),
 * for a simulated backend the chip it models (backend.chip), else the CPU
 * model; ane_subtype likewise. */
void runinfo_cols(const ab_runinfo *ri, ab_runcols *c);

/* "Apple M5", the simulated chip, or the host's CPU model; "" unknown. */
const char *runinfo_chip(const ab_runinfo *ri);

#endif
