/* cmd_probe.c: `anebench probe` (placeholder until its issue lands). */
#include <stdio.h>
#include "bench/commands.h"

int cmd_probe(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "anebench: 'probe' is not available in this build yet\n");
    return 2;
}
