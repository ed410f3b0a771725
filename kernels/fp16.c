/* fp16.c: IEEE 754 binary16 <-> binary32 by bit manipulation.
 *
 * float -> half rounds to nearest, ties to even, in every range: normal
 * results, results that become subnormal (or round up into the smallest
 * normal), overflow (to +-inf, including values that round up past 65504),
 * and underflow to signed zero. NaNs stay NaNs: the quiet bit is set and the
 * top payload bits are kept, as hardware conversions (F16C, ARM FCVT) do. */
#include "kernels/fp16.h"

#include <string.h>

static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static float bits_float(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Shifts m right by n (1..31) rounding to nearest even. */
static uint32_t shift_round_even(uint32_t m, unsigned n)
{
    uint32_t q = m >> n;
    uint32_t rem = m & ((1u << n) - 1u);
    uint32_t half = 1u << (n - 1u);
    if (rem > half || (rem == half && (q & 1u)))
        q++;
    return q;
}

uint16_t fp16_from_float(float f)
{
    uint32_t u = float_bits(f);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    uint32_t exp = (u >> 23) & 0xffu;
    uint32_t man = u & 0x7fffffu;

    if (exp == 0xffu) {
        if (man == 0)
            return (uint16_t)(sign | 0x7c00u);
        return (uint16_t)(sign | 0x7e00u | (man >> 13));
    }
    int e = (int)exp - 127; /* unbiased; float subnormals land far below */
    if (e > 15)
        return (uint16_t)(sign | 0x7c00u);
    if (e >= -14) {
        /* Normal half: a carry out of the mantissa bumps the exponent,
         * and out of exponent 30 it yields exactly 0x7c00 (inf). */
        uint32_t h = ((uint32_t)(e + 15) << 10) | (man >> 13);
        uint32_t rem = man & 0x1fffu;
        if (rem > 0x1000u || (rem == 0x1000u && (h & 1u)))
            h++;
        return (uint16_t)(sign | h);
    }
    /* Subnormal half: value / 2^-24 = (1.man) * 2^(e+24) = m >> -(e+1). */
    if (exp == 0 || e < -25)
        return sign; /* below half the smallest subnormal: rounds to zero */
    uint32_t m = man | 0x800000u;
    return (uint16_t)(sign | shift_round_even(m, (unsigned)(-(e + 1))));
}

float fp16_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t man = h & 0x3ffu;

    if (exp == 0x1fu)
        return bits_float(sign | 0x7f800000u | (man << 13));
    if (exp != 0)
        return bits_float(sign | ((exp + 112u) << 23) | (man << 13));
    if (man == 0)
        return bits_float(sign);
    /* Subnormal half: normalise into a float. */
    uint32_t e = 113u; /* float exponent of 2^-14 */
    while (!(man & 0x400u)) {
        man <<= 1;
        e--;
    }
    return bits_float(sign | (e << 23) | ((man & 0x3ffu) << 13));
}

float fp16_round(float f)
{
    return fp16_to_float(fp16_from_float(f));
}

void fp16_from_floats(const float *src, uint16_t *dst, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = fp16_from_float(src[i]);
}

void fp16_to_floats(const uint16_t *src, float *dst, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = fp16_to_float(src[i]);
}
