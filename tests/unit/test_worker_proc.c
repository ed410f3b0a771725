/* test_worker_proc.c: the scheduler's side of the worker protocol
 * (harness/worker.c) against small shell scripts standing in for
 * `anebench worker`: a record comes back, a death by signal is a crash named
 * by its signal, a hang is a timeout that kills the whole process group, an
 * {"error"} is fatal, a death mid-message is a crash, garbage or a record of
 * another case is a crash saying what came, reasons name the phase, a stop
 * of the scheduler (Ctrl-Z) neither loses an answer nor counts against the
 * worker, and an interruption stops the wait at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/worker.h"

static char dir[256];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Writes an executable script; returns its path (static buffer per call). */
static const char *script(const char *name, const char *body)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
    return path;
}

static void spawn(ab_worker *w, const char *exe)
{
    ab_settings s;
    settings_default(&s);
    ab_err e;
    if (worker_spawn(w, exe, "cpu", &s, 1, &e) != AB_OK)
        fail_msg("%s", e.msg);
    assert_true(w->pid > 0);
}

static void send_default_case(ab_worker *w)
{
    ab_case c;
    case_default(&c);
    ab_err e;
    assert_int_equal(worker_send_case(w, &c, 1, &e), AB_OK);
}

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    snprintf(dir, sizeof dir, "/tmp/ab_worker_test.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_record_comes_back(void **state)
{
    (void)state;
    ab_case c;
    case_default(&c);
    ab_record r;
    record_init(&r, &c);
    r.status = AB_ST_OK;
    r.worker = 1;
    char *line = wmsg_record_line(&r);
    record_free(&r);
    char recpath[512], argspath[512], body[2048];
    snprintf(recpath, sizeof recpath, "%s/rec.jsonl", dir);
    snprintf(argspath, sizeof argspath, "%s/args.txt", dir);
    FILE *f = fopen(recpath, "w");
    fputs(line, f);
    fclose(f);
    free(line);
    snprintf(body, sizeof body,
             "echo \"$@\" > '%s'\n"
             "echo '{\"ready\": {\"pid\": '$$', \"compiles_left\": 5}}'\n"
             "read l; echo '{\"compiles_left\": 4}'; cat '%s'\nread l2; exit 0",
             argspath, recpath);
    ab_worker w;
    spawn(&w, script("good.sh", body));
    send_default_case(&w);
    char reason[256];
    ab_err e;
    ab_record got;
    ab_wend end = worker_wait_record(&w, 10, NULL, &got, reason, sizeof reason, &e);
    assert_int_equal(end, WE_RECORD);
    assert_int_equal(got.status, AB_ST_OK);
    char key[AB_KEY_MAX];
    case_key(&c, key, sizeof key);
    assert_string_equal(got.key, key);
    assert_int_equal(w.compiles_left, 4);
    assert_int_equal(w.cases_run, 1);
    record_free(&got);
    char why[160];
    assert_int_equal(worker_stop(&w, 2.0, why, sizeof why), 0); /* exit 0 at its input's end */
    assert_string_equal(why, "");
    assert_int_equal(w.pid, 0);
    /* The child was started as `exe worker --backend cpu --id 1 --set ...`. */
    f = fopen(argspath, "r");
    assert_non_null(f);
    char args[4096] = "";
    assert_non_null(fgets(args, sizeof args, f));
    fclose(f);
    assert_true(strncmp(args, "worker --backend cpu --id 1 --set ", 34) == 0);
    assert_non_null(strstr(args, "--set timeout="));
}

static void test_signal_is_a_crash(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("segv.sh", "read l; kill -SEGV $$; sleep 5"));
    send_default_case(&w);
    char reason[256];
    ab_err e;
    ab_record r;
    assert_int_equal(worker_wait_record(&w, 10, NULL, &r, reason, sizeof reason, &e), WE_CRASHED);
    assert_non_null(strstr(reason, "SIGSEGV"));
    assert_int_equal(w.pid, 0);
}

/* The process is gone, or a zombie waiting for init to reap it: its state
 * from ps (procps and BSD both print Z for a zombie, nothing for none). */
static int gone_or_zombie(long pid)
{
    char cmd[96], buf[64] = "";
    snprintf(cmd, sizeof cmd, "ps -o stat= -p %ld 2>/dev/null", pid);
    FILE *f = popen(cmd, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    pclose(f);
    buf[n] = '\0';
    const char *s = buf + strspn(buf, " \t");
    return *s == '\0' || *s == '\n' || *s == 'Z';
}

static void test_hang_is_a_timeout_and_group_dies(void **state)
{
    (void)state;
    char pidpath[512], body[1024];
    snprintf(pidpath, sizeof pidpath, "%s/bg.pid", dir);
    snprintf(body, sizeof body, "sleep 60 & echo $! > '%s'\nread l; sleep 60", pidpath);
    ab_worker w;
    spawn(&w, script("hang.sh", body));
    send_default_case(&w);
    char reason[256];
    ab_err e;
    ab_record r;
    double t0 = now_s();
    assert_int_equal(worker_wait_record(&w, 0.3, NULL, &r, reason, sizeof reason, &e), WE_TIMEOUT);
    double took = now_s() - t0;
    assert_true(took >= 0.3 && took < 5.0);
    assert_non_null(strstr(reason, "timeout"));
    FILE *f = fopen(pidpath, "r");
    assert_non_null(f);
    long bg = 0;
    assert_int_equal(fscanf(f, "%ld", &bg), 1);
    fclose(f);
    /* The grandchild was in the worker's process group: it died too. */
    int dead = 0;
    for (int i = 0; i < 200 && !dead; i++) {
        dead = gone_or_zombie(bg);
        if (!dead)
            usleep(10000);
    }
    assert_true(dead);
}

static void test_error_message_is_fatal(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("err.sh", "read l; echo '{\"error\": \"no such backend: zzz\"}'; exit 2"));
    send_default_case(&w);
    char reason[256];
    ab_err e;
    ab_record r;
    assert_int_equal(worker_wait_record(&w, 10, NULL, &r, reason, sizeof reason, &e), WE_FATAL);
    assert_non_null(strstr(e.msg, "no such backend: zzz"));
}

/* A worker that quits at once (its backend will not open) before any case:
 * the failed send reports what it said. */
static void test_error_before_any_case(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("err0.sh", "echo '{\"error\": \"backend refused\"}'; exit 2"));
    usleep(300000);
    ab_case c;
    case_default(&c);
    ab_err e;
    ab_err_clear(&e);
    int rc = AB_OK;
    for (int i = 0; i < 1000 && rc == AB_OK; i++)
        rc = worker_send_case(&w, &c, 1, &e);
    assert_int_equal(rc, AB_EFAIL);
    assert_int_equal(w.said_error, 1);
    assert_non_null(strstr(e.msg, "backend refused"));
    worker_stop(&w, 1.0, NULL, 0);
}

static void test_death_mid_message(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("mid.sh", "read l; printf '{\"compiles_left\": 1}\\n{\"rec'; exit 3"));
    send_default_case(&w);
    char reason[256];
    ab_err e;
    ab_record r;
    assert_int_equal(worker_wait_record(&w, 10, NULL, &r, reason, sizeof reason, &e), WE_CRASHED);
    assert_non_null(strstr(reason, "exited with status 3"));
    assert_non_null(strstr(reason, "mid-message"));
}

/* Garbage on the channel ends the case as crashed, with what came and from
 * which worker; the sweep goes on (it used to stop the whole run). */
static void test_garbage_is_a_crash(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("garbage.sh", "read l; echo 'Segmentation fault (core dumped)'; sleep 5"));
    send_default_case(&w);
    char reason[256];
    ab_err e;
    ab_record r;
    assert_int_equal(worker_wait_record(&w, 10, NULL, &r, reason, sizeof reason, &e), WE_CRASHED);
    assert_non_null(strstr(reason, "worker 1 sent what is not a protocol message"));
    assert_non_null(strstr(reason, "not JSON"));
    assert_non_null(strstr(reason, "'Segmentation fault (core dumped)'"));
    assert_int_equal(w.pid, 0);
}

/* Writes a record line of case c (cin changed to cin) for a script to cat. */
static void write_record(const char *path, int cin, size_t index)
{
    ab_case c;
    case_default(&c);
    c.v[AX_CIN] = cin;
    c.v[AX_COUT] = cin;
    c.index = index;
    ab_record r;
    record_init(&r, &c);
    r.status = AB_ST_OK;
    char *line = wmsg_record_line(&r);
    record_free(&r);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(line, f);
    fclose(f);
    free(line);
}

/* A record of another case than the one sent is never taken as its answer. */
static void test_record_of_another_case_is_a_crash(void **state)
{
    (void)state;
    char recpath[512], body[1024];
    snprintf(recpath, sizeof recpath, "%s/other.jsonl", dir);
    write_record(recpath, 999, 0);
    snprintf(body, sizeof body, "read l; echo '{\"phase\": \"eval\"}'; cat '%s'; sleep 5", recpath);
    ab_worker w;
    spawn(&w, script("other.sh", body));
    send_default_case(&w);
    char reason[400];
    ab_err e;
    ab_record r;
    assert_int_equal(worker_wait_record(&w, 10, NULL, &r, reason, sizeof reason, &e), WE_CRASHED);
    assert_non_null(strstr(reason, "answered with a record of 'conv1x1 cin=999 cout=999"));
    assert_non_null(strstr(reason, "not of the case sent"));
    assert_int_equal(w.pid, 0);

    /* The right key at another sweep index is refused too. */
    ab_case c;
    case_default(&c);
    write_record(recpath, (int)c.v[AX_CIN], 7);
    spawn(&w, script("other2.sh", body));
    send_default_case(&w);
    assert_int_equal(worker_wait_record(&w, 10, NULL, &r, reason, sizeof reason, &e), WE_CRASHED);
    assert_non_null(strstr(reason, "(index 7), not of the case sent (index 0)"));
}

/* A timeout and a crash say the phase the worker said it was in. */
static void test_reasons_name_the_phase(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("hangc.sh", "read l; echo '{\"phase\": \"prepare\"}'; echo '{\"phase\": \"compile\"}'; sleep 30"));
    send_default_case(&w);
    char reason[400];
    ab_err e;
    ab_record r;
    assert_int_equal(worker_wait_record(&w, 0.5, NULL, &r, reason, sizeof reason, &e), WE_TIMEOUT);
    assert_string_equal(reason, "no result within the 0.5 s timeout; hung in compile; worker killed");

    spawn(&w, script("segvl.sh", "read l; echo '{\"phase\": \"load\"}'; kill -SEGV $$; sleep 5"));
    send_default_case(&w);
    assert_int_equal(worker_wait_record(&w, 10, NULL, &r, reason, sizeof reason, &e), WE_CRASHED);
    assert_string_equal(reason, "worker killed by SIGSEGV (Segmentation fault) in load");

    spawn(&w, script("hang0.sh", "read l; sleep 30"));
    send_default_case(&w);
    assert_int_equal(worker_wait_record(&w, 0.3, NULL, &r, reason, sizeof reason, &e), WE_TIMEOUT);
    assert_non_null(strstr(reason, "hung before its first phase"));
}

/* Stops this process (as Ctrl-Z would) from `at` s for `len` s. */
static void stop_me_later(double at, double len)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "(sleep %g; kill -STOP %ld; sleep %g; kill -CONT %ld) >/dev/null 2>&1 &", at,
             (long)getpid(), len, (long)getpid());
    assert_int_equal(system(cmd), 0);
}

/* Ctrl-Z of the scheduler for longer than the timeout: the worker (in its
 * own process group, so not stopped) answered meanwhile; that answer is
 * kept, not journaled as a timeout. */
static void test_stopped_scheduler_keeps_the_answer(void **state)
{
    (void)state;
    char recpath[512], body[1024];
    snprintf(recpath, sizeof recpath, "%s/late.jsonl", dir);
    ab_case c;
    case_default(&c);
    write_record(recpath, (int)c.v[AX_CIN], 0);
    snprintf(body, sizeof body, "read l; sleep 0.6; cat '%s'; sleep 30", recpath);
    ab_worker w;
    spawn(&w, script("late.sh", body));
    send_default_case(&w);
    stop_me_later(0.2, 2.0);
    char reason[400];
    ab_err e;
    ab_record r;
    ab_wend end = worker_wait_record(&w, 1.0, NULL, &r, reason, sizeof reason, &e);
    if (end != WE_RECORD)
        fail_msg("ended %d: %s", (int)end, reason);
    record_free(&r);
    worker_kill(&w);
}

/* An answer already sent when the run is interrupted is kept. */
static void test_answer_in_before_interrupt_is_kept(void **state)
{
    (void)state;
    char recpath[512], body[1024];
    snprintf(recpath, sizeof recpath, "%s/early.jsonl", dir);
    ab_case c;
    case_default(&c);
    write_record(recpath, (int)c.v[AX_CIN], 0);
    snprintf(body, sizeof body, "read l; cat '%s'; sleep 30", recpath);
    ab_worker w;
    spawn(&w, script("early.sh", body));
    send_default_case(&w);
    usleep(300000);
    volatile sig_atomic_t flag = 1;
    char reason[400];
    ab_err e;
    ab_record r;
    assert_int_equal(worker_wait_record(&w, 10, &flag, &r, reason, sizeof reason, &e), WE_RECORD);
    record_free(&r);
    worker_kill(&w);
}

/* ... and the time it was stopped does not count against a worker that
 * answers after the stop, within the timeout of time actually waited. */
static void test_stopped_time_is_not_counted(void **state)
{
    (void)state;
    char recpath[512], body[1024];
    snprintf(recpath, sizeof recpath, "%s/later.jsonl", dir);
    ab_case c;
    case_default(&c);
    write_record(recpath, (int)c.v[AX_CIN], 0);
    snprintf(body, sizeof body, "read l; sleep 4; cat '%s'; sleep 30", recpath);
    ab_worker w;
    spawn(&w, script("later.sh", body));
    send_default_case(&w);
    stop_me_later(0.2, 3.0);
    char reason[400];
    ab_err e;
    ab_record r;
    ab_wend end = worker_wait_record(&w, 3.0, NULL, &r, reason, sizeof reason, &e);
    if (end != WE_RECORD)
        fail_msg("ended %d: %s", (int)end, reason);
    record_free(&r);
    worker_kill(&w);
}

static void test_interrupt_stops_the_wait(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("slow.sh", "read l; sleep 60"));
    send_default_case(&w);
    volatile sig_atomic_t flag = 1;
    char reason[256];
    ab_err e;
    ab_record r;
    double t0 = now_s();
    assert_int_equal(worker_wait_record(&w, 30, &flag, &r, reason, sizeof reason, &e), WE_INTERRUPTED);
    assert_true(now_s() - t0 < 2.0);
    assert_int_equal(w.pid, 0);
}

static void test_send_to_dead_worker(void **state)
{
    (void)state;
    ab_worker w;
    spawn(&w, script("quit.sh", "exit 0"));
    usleep(200000);
    ab_case c;
    case_default(&c);
    ab_err e;
    int rc = AB_OK;
    /* The pipe may still take a first write; it cannot take them forever. */
    for (int i = 0; i < 1000 && rc == AB_OK; i++)
        rc = worker_send_case(&w, &c, 1, &e);
    assert_int_equal(rc, AB_EFAIL);
    worker_stop(&w, 1.0, NULL, 0);
}

static void test_signal_names(void **state)
{
    (void)state;
    char buf[32], d[160];
    assert_string_equal(ab_signal_name(SIGSEGV, buf, sizeof buf), "SIGSEGV");
    assert_string_equal(ab_signal_name(SIGABRT, buf, sizeof buf), "SIGABRT");
    assert_string_equal(ab_signal_name(1000, buf, sizeof buf), "signal 1000");
    ab_describe_wait_status(7 << 8, d, sizeof d); /* exit status 7, as waitpid packs it */
    assert_string_equal(d, "exited with status 7");
}

/* A worker that ends badly after its cases (a leak checker's exit status, a
 * worker that will not exit) is reported by worker_stop, not hidden. */
static void test_stop_reports_a_bad_exit(void **state)
{
    (void)state;
    const char *ready = "echo '{\"ready\": {\"pid\": '$$', \"compiles_left\": 5}}'\n";
    char body[512], why[160];
    ab_worker w;
    snprintf(body, sizeof body, "%sread l; exit 86", ready);
    spawn(&w, script("leaky.sh", body));
    assert_int_equal(worker_stop(&w, 2.0, why, sizeof why), 1);
    assert_string_equal(why, "exited with status 86");
    assert_int_equal(w.pid, 0);

    snprintf(body, sizeof body, "%sexec sleep 30", ready);
    spawn(&w, script("stuck.sh", body));
    double t0 = now_s();
    assert_int_equal(worker_stop(&w, 0.3, why, sizeof why), 1);
    assert_true(now_s() - t0 < 5.0);
    assert_string_equal(why, "did not exit within 0.3 s and was killed");
    assert_int_equal(w.pid, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_comes_back),
        cmocka_unit_test(test_stop_reports_a_bad_exit),
        cmocka_unit_test(test_signal_is_a_crash),
        cmocka_unit_test(test_hang_is_a_timeout_and_group_dies),
        cmocka_unit_test(test_error_message_is_fatal),
        cmocka_unit_test(test_error_before_any_case),
        cmocka_unit_test(test_death_mid_message),
        cmocka_unit_test(test_garbage_is_a_crash),
        cmocka_unit_test(test_record_of_another_case_is_a_crash),
        cmocka_unit_test(test_reasons_name_the_phase),
        cmocka_unit_test(test_stopped_scheduler_keeps_the_answer),
        cmocka_unit_test(test_stopped_time_is_not_counted),
        cmocka_unit_test(test_answer_in_before_interrupt_is_kept),
        cmocka_unit_test(test_interrupt_stops_the_wait),
        cmocka_unit_test(test_send_to_dead_worker),
        cmocka_unit_test(test_signal_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
