/* cmd_worker.c: `anebench worker` (placeholder until its issue lands). */
#include <stdio.h>
#include "bench/commands.h"

int cmd_worker(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "anebench: 'worker' is not available in this build yet\n");
    return 2;
}
