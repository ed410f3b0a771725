/* cmd_run.c: `anebench run` (placeholder until its issue lands). */
#include <stdio.h>
#include "bench/commands.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "anebench: 'run' is not available in this build yet\n");
    return 2;
}
