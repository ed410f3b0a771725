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
    }
    return code;
}

void ab_err_clear(ab_err *e)
{
    if (e) {
        e->code = AB_OK;
        e->msg[0] = '\0';
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
