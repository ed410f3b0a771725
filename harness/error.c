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

void ab_shell_word(char *buf, size_t n, const char *s, int always)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,@+";
    size_t len = strlen(buf);
    if (!always && *s && strspn(s, plain) == strlen(s)) {
        put_bytes(buf, n, &len, s, strlen(s));
        return;
    }
    put_bytes(buf, n, &len, "'", 1);
    for (; *s; s++)
        put_bytes(buf, n, &len, *s == '\'' ? "'\\''" : s, *s == '\'' ? 4 : 1);
    put_bytes(buf, n, &len, "'", 1);
}
