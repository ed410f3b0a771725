/* main.c: the `anebench` command: dispatches to one function per subcommand. */
#include <stdio.h>
#include <string.h>

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
    {"probe", cmd_probe, "run the ANE capability probes (the seed's checks)"},
    {"info", cmd_info, "describe this machine, its backends and its timer"},
    {"worker", cmd_worker, "(internal) run cases for a scheduler over pipes"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: anebench <command> [options]\n"
               "       anebench --help | --version | <command> --help\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, "worker") != 0)
            fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit codes: 0 done; 1 a case failed or a regression was found;\n"
               "            2 bad usage or input; 3 an external tool is missing; 130 interrupted\n");
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
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "anebench: unknown command '%s' (see anebench --help)\n", argv[1]);
    return 2;
}
