/* worker.h: the worker protocol: a scheduler runs cases in a child process
 * (`anebench worker`), started with posix_spawn of the same binary (never a
 * bare fork: the ANE framework is not fork-safe) in its own process group,
 * talking over two pipes with one JSON object per line (cJSON):
 *
 *   scheduler -> worker   {"case": KEY, "index": I, "attempt": N}
 *   worker -> scheduler   {"ready": {"pid": P, "compiles_left": C}}   once, at start
 *                         {"phase": "compile"}                         as each phase of a case starts
 *                         {"compiles_left": C}                         after each case
 *                         {"record": RECORD}                           the case's record
 *                         {"error": "message"}                         fatal (then exits 2)
 *
 * compiles_left is the backend's compile budget (-1 = unlimited). The worker
 * exits when its input ends. The scheduler kills the worker's whole process
 * group on timeout and reads a death by signal as a crash (signal name kept);
 * both reasons name the phase the worker said it was in. Every record is
 * checked against the case in flight (key and index): a record of another
 * case, or anything that is not one of these messages, ends the case as
 * crashed with what was wrong (the sweep goes on in a fresh worker).
 *
 * The caller must ignore SIGPIPE (a dead worker's pipe then gives EPIPE). */
#ifndef AB_WORKER_H
#define AB_WORKER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "harness/case.h"
#include "harness/error.h"
#include "harness/record.h"
#include "harness/settings.h"

/* ---- line framing (both sides) ---------------------------------------- */

#define AB_LINE_MAX (64u << 20) /* a longer line is a protocol error */

typedef struct ab_linebuf {
    char *buf;
    size_t len, cap;
    size_t start; /* first byte not yet returned */
    size_t max;   /* longest line accepted (0 = AB_LINE_MAX) */
    size_t tail;  /* bytes after the last newline fed */
} ab_linebuf;

void linebuf_init(ab_linebuf *lb);
void linebuf_free(ab_linebuf *lb);
/* Appends n bytes read from the peer. AB_EFAIL when the pending line would
 * exceed lb->max or memory runs out. */
int linebuf_feed(ab_linebuf *lb, const char *data, size_t n, ab_err *e);
/* Next complete line (without its '\n', NUL-terminated, valid until the
 * next feed/next call), or NULL when no complete line is buffered. */
char *linebuf_next(ab_linebuf *lb);
/* Bytes of an incomplete line still buffered. */
size_t linebuf_pending(const ab_linebuf *lb);

/* ---- messages ------------------------------------------------------------ */

typedef enum {
    WM_CASE, /* scheduler -> worker */
    WM_READY,
    WM_COMPILES_LEFT,
    WM_PHASE,
    WM_RECORD,
    WM_ERROR
} ab_wmsg_kind;

typedef struct ab_wmsg {
    ab_wmsg_kind kind;
    char key[AB_KEY_MAX]; /* WM_CASE */
    size_t index;         /* WM_CASE */
    int attempt;          /* WM_CASE */
    long pid;             /* WM_READY */
    int compiles_left;    /* WM_READY, WM_COMPILES_LEFT */
    char error[512];      /* WM_ERROR */
    char phase[32];       /* WM_PHASE: "prepare", "compile", "load", "eval", "unload", ... */
    void *record_json;    /* WM_RECORD: cJSON* (owned; wmsg_free) */
} ab_wmsg;

/* Each returns a malloc'd line ending in '\n' (NULL if out of memory). */
char *wmsg_case_line(const char *key, size_t index, int attempt);
char *wmsg_ready_line(long pid, int compiles_left);
char *wmsg_compiles_left_line(int compiles_left);
char *wmsg_phase_line(const char *phase);
char *wmsg_record_line(const ab_record *r); /* with raw samples */
char *wmsg_error_line(const char *msg);

/* Parses one line (without '\n'). AB_EUSAGE with a reason for anything that
 * is not exactly one of the messages above. */
int wmsg_parse(const char *line, ab_wmsg *m, ab_err *e);
void wmsg_free(ab_wmsg *m);

/* Writes all of buf to fd (retrying short writes and EINTR). */
int ab_write_all(int fd, const char *buf, size_t n, ab_err *e);

/* ---- the scheduler's side ------------------------------------------------ */

typedef struct ab_worker {
    pid_t pid;          /* 0: not running */
    int to_fd, from_fd; /* its stdin (we write), its stdout (we read) */
    int id;             /* 1, 2, ... in spawn order (records' "worker") */
    int compiles_left;  /* backend budget reported (-1 unlimited / unknown) */
    int cases_run;      /* cases (= compiles) this worker has run */
    int said_error;     /* it sent {"error"} (a send failed because it quit) */
    char key[AB_KEY_MAX]; /* the case in flight (its record must carry this key) */
    size_t index;         /* ... and this sweep index */
    char phase[32];       /* the phase it last said it started ("" = none yet) */
    ab_linebuf lb;
} ab_worker;

/* Starts `exe worker --backend SPEC --id ID --set name=value ...` (every
 * setting) in a new process group. */
int worker_spawn(ab_worker *w, const char *exe, const char *backend_spec, const ab_settings *s, int id,
                 ab_err *e);

/* How waiting for a case's record ended. */
typedef enum {
    WE_RECORD,      /* *r filled from the worker's record of the case in flight */
    WE_CRASHED,     /* the worker died (reason says how: signal name or exit status),
                       or sent something that is not a message or a record of
                       another case (reason says what; worker killed) */
    WE_TIMEOUT,     /* deadline passed; worker killed */
    WE_INTERRUPTED, /* *interrupted became non-zero; worker killed */
    WE_FATAL        /* worker reported {"error"} (its backend cannot run): e filled */
} ab_wend;

/* Sends one case. AB_EFAIL if the worker is gone (EPIPE); when it said why
 * ({"error"}) before going, e holds that and w->said_error is set. */
int worker_send_case(ab_worker *w, const ab_case *c, int attempt, ab_err *e);

/* Reads messages until the record of the case in flight arrives, the worker
 * dies, timeout_s passes (0 = no limit) or *interrupted (may be NULL) is set
 * (checked every 50 ms). reason gets a one-line description for WE_CRASHED
 * and WE_TIMEOUT.
 *
 * The timeout counts the time this process waited for the worker, not time
 * it was itself stopped (Ctrl-Z, SIGSTOP) or asleep: each 50 ms wait counts
 * for at most 1 s more than it asked for. And whatever the worker sent
 * before the deadline or the interruption is read first: a record that
 * arrived is returned, never thrown away. */
ab_wend worker_wait_record(ab_worker *w, double timeout_s, volatile sig_atomic_t *interrupted, ab_record *r,
                           char *reason, size_t nreason, ab_err *e);

/* Closes its input and waits up to grace_s for it to exit, then kills its
 * process group. Safe on a worker that is not running. Returns 0 when it
 * exited with status 0 (or was not running), else 1 with how it ended in
 * why (e.g. "exited with status 86", "killed by SIGSEGV", "did not exit
 * within 5 s and was killed"): its cases are journaled, but a worker that
 * fails on the way out (a leak checker, a crash in the framework's
 * teardown) is worth saying. */
int worker_stop(ab_worker *w, double grace_s, char *why, size_t n);
/* Kills the process group at once (SIGKILL) and reaps it. */
void worker_kill(ab_worker *w);

/* "SIGSEGV" for SIGSEGV, "signal 42" for one without a name. */
const char *ab_signal_name(int sig, char *buf, size_t n);
/* How a waitpid status ended: "killed by SIGSEGV (Segmentation fault)",
 * "exited with status 3". */
void ab_describe_wait_status(int status, char *buf, size_t n);

#endif
