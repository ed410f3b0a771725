/* test_platform.c: harness/platform.c. ab_fsync reports a bad descriptor
 * and succeeds on a file; ab_stat_mtime returns the time set with
 * utimensat to the nanosecond; ab_self_exe names this test binary; and
 * ab_exit_with_parent kills a grandchild once its parent is killed with -9,
 * both through the kernel's parent-death signal (Linux) and through the
 * portable watcher thread that macOS uses (tested here too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/platform.h"

static void test_fsync(void **state)
{
    (void)state;
    char path[] = "/tmp/ab_platform_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "x\n", 2), 2);
    assert_int_equal(ab_fsync(fd), 0);
    close(fd);
    unlink(path);
    errno = 0;
    assert_int_equal(ab_fsync(fd), -1); /* closed: EBADF, not a silent success */
    assert_int_equal(errno, EBADF);
}

static void test_stat_mtime(void **state)
{
    (void)state;
    char path[] = "/tmp/ab_platform_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct timespec times[2] = {{1000000000, 5}, {1234567890, 123456789}};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    struct timespec m = ab_stat_mtime(&st);
    assert_int_equal(m.tv_sec, 1234567890);
    assert_int_equal(m.tv_nsec, 123456789);
    unlink(path);
}

static void test_self_exe(void **state)
{
    (void)state;
    char buf[4096];
    assert_int_equal(ab_self_exe(buf, sizeof buf), 0);
    assert_true(buf[0] == '/');
    const char *base = strrchr(buf, '/') + 1;
    assert_string_equal(base, "test_platform");
    assert_int_equal(ab_self_exe(buf, 4), -1); /* does not fit */
}

/* Forks a parent that forks a child; the child arms ab_exit_with_parent,
 * says so on the pipe and sleeps. After the parent is killed with -9 the
 * pipe must reach end-of-file (every holder of its write end gone) within
 * 5 s: the child died with its parent. */
static void orphan_dies(int portable)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t mid = fork();
    assert_true(mid >= 0);
    if (mid == 0) {
        close(fds[0]);
        pid_t kid = fork();
        if (kid == 0) {
            if (ab_exit_with_parent(getppid(), portable) != 0)
                _exit(3);
            if (write(fds[1], "k", 1) != 1)
                _exit(4);
            for (int i = 0; i < 300; i++)
                sleep(1); /* 5 min: far past the test's wait */
            _exit(5);
        }
        close(fds[1]);
        for (;;)
            pause();
    }
    close(fds[1]);
    char c = 0;
    assert_int_equal(read(fds[0], &c, 1), 1);
    assert_int_equal(c, 'k');
    assert_int_equal(kill(mid, SIGKILL), 0);
    int status;
    assert_int_equal(waitpid(mid, &status, 0), mid);
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    int rc = poll(&p, 1, 5000);
    assert_int_equal(rc, 1);
    assert_int_equal(read(fds[0], &c, 1), 0); /* EOF: the grandchild is gone */
    close(fds[0]);
}

static void test_orphan_dies_native(void **state)
{
    (void)state;
    orphan_dies(0);
}

static void test_orphan_dies_portable(void **state)
{
    (void)state;
    orphan_dies(1);
}

static void test_parent_already_gone(void **state)
{
    (void)state;
    /* pid 1 is never our parent here: the call reports the parent gone. */
    pid_t parent = getppid() == 1 ? 2 : 1;
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0)
        _exit(ab_exit_with_parent(parent, 1) == -1 ? 0 : 1);
    int status;
    assert_int_equal(waitpid(kid, &status, 0), kid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fsync),
        cmocka_unit_test(test_stat_mtime),
        cmocka_unit_test(test_self_exe),
        cmocka_unit_test(test_orphan_dies_native),
        cmocka_unit_test(test_orphan_dies_portable),
        cmocka_unit_test(test_parent_already_gone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
