/* sys/event.h (declaration stub): the part of kqueue that
 * harness/platform.c uses to wait for its parent's exit on macOS, with the
 * SDK's struct layout, constants and prototypes. */
#ifndef AB_STUB_SYS_EVENT_H
#define AB_STUB_SYS_EVENT_H

#include <stdint.h>
#include <time.h>

#define EVFILT_PROC (-5)
#define EV_ADD 0x0001
#define EV_ONESHOT 0x0010
#define NOTE_EXIT 0x80000000

struct kevent {
    uintptr_t ident;
    int16_t filter;
    uint16_t flags;
    uint32_t fflags;
    intptr_t data;
    void *udata;
};

#define EV_SET(kevp, a, b, c, d, e, f)                                                                           \
    do {                                                                                                         \
        struct kevent *__kevp__ = (kevp);                                                                        \
        __kevp__->ident = (a);                                                                                   \
        __kevp__->filter = (int16_t)(b);                                                                         \
        __kevp__->flags = (uint16_t)(c);                                                                         \
        __kevp__->fflags = (uint32_t)(d);                                                                        \
        __kevp__->data = (e);                                                                                    \
        __kevp__->udata = (f);                                                                                   \
    } while (0)

int kqueue(void);
int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent *eventlist, int nevents,
           const struct timespec *timeout);

#endif
