/* cmd_info.c: `anebench info` (placeholder until its issue lands). */
#include <stdio.h>
#include "bench/commands.h"

int cmd_info(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "anebench: 'info' is not available in this build yet\n");
    return 2;
}
