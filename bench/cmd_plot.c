/* cmd_plot.c: `anebench plot` (placeholder until its issue lands). */
#include <stdio.h>
#include "bench/commands.h"

int cmd_plot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "anebench: 'plot' is not available in this build yet\n");
    return 2;
}
