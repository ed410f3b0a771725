/* error.c: the error type. */
#include "harness/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ab_errf(ab_err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
        /* One line, whatever the input quoted in it held (a JSON string
         * with "\n", a VALUES argument with a tab). */
        for (char *p = e->msg; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '?';
        e->code = code;
        e->domain[0] = '\0';
        e->domain_code = 0;
    }
    return code;
}

void ab_err_clear(ab_err *e)
{
    if (e) {
        e->code = AB_OK;
        e->msg[0] = '\0';
        e->domain[0] = '\0';
        e->domain_code = 0;
    }
}

char *ab_strlcpy(char *dst, const char *src, size_t n)
{
    if (n == 0)
        return dst;
    size_t len = src ? strlen(src) : 0;
    if (len >= n)
        len = n - 1;
    if (len)
        memcpy(dst, src, len);
    dst[len] = '\0';
    return dst;
}

/* Appends k bytes of t to buf (length *len, size n), as many as fit. */
static void put_bytes(char *buf, size_t n, size_t *len, const char *t, size_t k)
{
    for (size_t i = 0; i < k && *len + 1 < n; i++)
        buf[(*len)++] = t[i];
    buf[*len] = '\0';
}

/* 1 when s holds a byte a terminal or a line reader would act on: C0
 * controls, DEL, or the UTF-8 form of a C1 control (0xC2 0x80..0x9F). */
static int has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return 1;
    return 0;
}

void ab_shell_word(char *buf, size_t n, const char *s, int always)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,@+";
    size_t len = strlen(buf);
    if (!always && *s && strspn(s, plain) == strlen(s)) {
        put_bytes(buf, n, &len, s, strlen(s));
        return;
    }
    size_t sl = strlen(s);
    if (has_control(s) && s[sl - 1] != '\n') {
        /* "$(printf '...')" with octal escapes: one line, no raw escape
         * sequence, in every POSIX shell (command substitution drops only
         * trailing newlines: a word ending in one keeps the form below). */
        put_bytes(buf, n, &len, "\"$(printf '", 11);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            char esc[8];
            int c1 = *p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;
            if (*p < 0x20 || *p == 0x7f || c1) {
                snprintf(esc, sizeof esc, "\\%03o", *p);
                put_bytes(buf, n, &len, esc, 4);
                if (c1) {
                    snprintf(esc, sizeof esc, "\\%03o", *++p);
                    put_bytes(buf, n, &len, esc, 4);
                }
            } else if (*p == '%') {
                put_bytes(buf, n, &len, "%%", 2);
            } else if (*p == '\\') {
                put_bytes(buf, n, &len, "\\\\", 2);
            } else if (*p == '\'') {
                put_bytes(buf, n, &len, "'\\''", 4);
            } else {
                put_bytes(buf, n, &len, (const char *)p, 1);
            }
        }
        put_bytes(buf, n, &len, "')\"", 3);
        return;
    }
    put_bytes(buf, n, &len, "'", 1);
    for (; *s; s++)
        put_bytes(buf, n, &len, *s == '\'' ? "'\\''" : s, *s == '\'' ? 4 : 1);
    put_bytes(buf, n, &len, "'", 1);
}
