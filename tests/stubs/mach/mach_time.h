/* mach/mach_time.h (declaration stub): the monotonic clock harness/clock.c
 * reads on macOS, with the SDK's types. */
#ifndef AB_STUB_MACH_TIME_H
#define AB_STUB_MACH_TIME_H

#include <stdint.h>
#include <mach/kern_return.h>

struct mach_timebase_info {
    uint32_t numer;
    uint32_t denom;
};
typedef struct mach_timebase_info *mach_timebase_info_t;
typedef struct mach_timebase_info mach_timebase_info_data_t;

kern_return_t mach_timebase_info(mach_timebase_info_t info);
uint64_t mach_absolute_time(void);

#endif
