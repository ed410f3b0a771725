/* cmd_compare.c: `anebench compare` (placeholder until its issue lands). */
#include <stdio.h>
#include "bench/commands.h"

int cmd_compare(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "anebench: 'compare' is not available in this build yet\n");
    return 2;
}
