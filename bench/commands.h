/* commands.h: the subcommands of `anebench` (git's builtin table). Each
 * returns the process exit code; only bench/ prints errors and exits. */
#ifndef AB_COMMANDS_H
#define AB_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_leaderboard(int argc, char **argv);

/* Prints "anebench: <msg>" on stderr and returns code. */
int ab_report(int code, const char *msg);

#endif
