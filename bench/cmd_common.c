/* cmd_common.c: helpers shared by the subcommands. */
#include <stdio.h>
#include "bench/commands.h"

int ab_report(int code, const char *msg)
{
    if (msg && *msg)
        fprintf(stderr, "anebench: %s\n", msg);
    return code;
}
