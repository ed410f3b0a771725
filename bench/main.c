/* main.c: the `anebench` command: dispatches to one function per subcommand,
 * then leaves under a guard: once a command has returned its work is done
 * (files finished, output written), so nothing at exit may hold the process.
 * A library's teardown gets EXIT_GRACE_S (OpenBLAS joins the threads it
 * started at load, and under `ulimit -v` such a thread never ends), and a
 * signal from then on ends the process at once with the command's code. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "anebench_git.h" /* ANEBENCH_GIT, generated at build time */
#include "bench/commands.h"

struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
};

static const struct command commands[] = {
    {"run", cmd_run, "run a sweep and write a run directory"},
    {"list", cmd_list, "print the cases of a sweep, one per line; runs nothing"},
    {"compare", cmd_compare, "compare two or more runs case by case"},
    {"plot", cmd_plot, "render gnuplot charts of one or more runs"},
    {"report", cmd_report, "summarise runs as GitHub markdown, HTML or text"},
    {"export", cmd_export, "write one redacted submission file of a run"},
    {"leaderboard", cmd_leaderboard, "one table per preset from the submissions of many machines"},
    {"probe", cmd_probe, "run the ANE capability probes (the seed's checks)"},
    {"doctor", cmd_doctor, "first run on a Mac: every ANE lifecycle step, its outcome, alternatives tried"},
    {"info", cmd_info, "describe this machine, its backends and its timer"},
    {"worker", cmd_worker, "(internal) run cases for a scheduler over pipes"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench <command> [options]\n"
               "       anebench --help | --version | <command> --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, "worker") != 0)
            fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit codes: 0 done; 1 a case failed or a regression was found;\n"
               "            2 bad usage or input; 3 an external tool is missing; 130 interrupted\n");
}

#if defined(__SANITIZE_ADDRESS__)
#define EXIT_GRACE_S 60 /* the leak checker runs at exit too */
#else
#define EXIT_GRACE_S 5
#endif

static volatile sig_atomic_t exit_code;

static void on_late_signal(int sig)
{
    static const char note[] = "anebench: note: a library's teardown at exit did not end within the grace time; "
                               "exited without it (the command's work was done)\n";
    if (sig == SIGALRM) {
        ssize_t w = write(STDERR_FILENO, note, sizeof note - 1);
        (void)w;
    }
    _exit(exit_code);
}

/* Flushes the output and arms the guard described above; returns code. */
static int leave(int code)
{
    fflush(stdout);
    fflush(stderr);
    exit_code = code;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_late_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    alarm(EXIT_GRACE_S);
    return code;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("anebench %s (git %s)\n", ANEBENCH_VERSION, ANEBENCH_GIT);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return leave(commands[i].fn(argc - 1, argv + 1));
    fprintf(stderr, "anebench: unknown command '%s' (see anebench --help)\n", argv[1]);
    return 2;
}
