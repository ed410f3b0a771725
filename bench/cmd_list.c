/* cmd_list.c: `anebench list` (placeholder until its issue lands). */
#include <stdio.h>
#include "bench/commands.h"

int cmd_list(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "anebench: 'list' is not available in this build yet\n");
    return 2;
}
