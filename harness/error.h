/* error.h: the one error type carried up to the command.
 *
 * Functions below bench/ never print or exit: they fill an ab_err and return
 * its code. The command prints e->msg as one line and exits with e->code. */
#ifndef AB_ERROR_H
#define AB_ERROR_H

#include <stddef.h>

/* Exit codes (DESIGN.md contract). */
enum {
    AB_OK = 0,
    AB_EFAIL = 1,  /* the run finished but a case failed / regression found */
    AB_EUSAGE = 2, /* bad usage or bad input: msg names the bad token */
    AB_ETOOL = 3,  /* an external tool is missing (gnuplot) */
    AB_EINTR = 130 /* interrupted */
};

typedef struct ab_err {
    int code;
    char msg[512];
    /* An external framework's own error (NSError domain and code) behind
     * msg, where it gave one: domain "" otherwise. */
    char domain[96];
    long long domain_code;
} ab_err;

/* Sets e (if not NULL) and returns code. printf-style message, no newline;
 * control characters in the result become '?' so it stays one line.
 * Clears the domain: set it after, for the error that has one. */
int ab_errf(ab_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Clears e to AB_OK / "". */
void ab_err_clear(ab_err *e);

/* Bounded string copy that always terminates (returns dst). */
char *ab_strlcpy(char *dst, const char *src, size_t n);

/* Appends s to the string in buf (size n, cut to fit) as one POSIX shell
 * word: in single quotes (a quote inside as '\''), or bare when always is 0
 * and s holds only characters a shell takes as they are. When s holds a
 * control character (C0, DEL, UTF-8 C1) the word is "$(printf '...')" with
 * octal escapes, so a printed command stays one line and carries no
 * terminal escape sequence, in any POSIX shell (except when s ends in a
 * newline, which command substitution would drop: then single quotes).
 * Needs at most 4 bytes of buf per byte of s, plus 16. */
void ab_shell_word(char *buf, size_t n, const char *s, int always);

#endif
