/* fp16.c: IEEE 754 binary16 <-> binary32 by bit manipulation.
 *
 * float -> half rounds to nearest, ties to even, in every range: normal
 * results, results that become subnormal (or round up into the smallest
 * normal), overflow (to +-inf, including values that round up past 65504),
 * and underflow to signed zero. NaNs stay NaNs, both ways: the quiet bit is
 * set and the (top) payload bits are kept, as hardware conversions (F16C,
 * ARM FCVT) do. */
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

    if (exp == 0x1fu) /* inf; a NaN quieted, payload kept, as F16C and ARM FCVT do */
        return bits_float(sign | 0x7f800000u | (man ? 0x400000u : 0u) | (man << 13));
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

/* Bulk conversions: on x86-64 CPUs with F16C (every one since 2012; asked
 * at run time, so the binary still runs on one without) eight at a time in
 * hardware, whose results are those of the functions above bit for bit
 * (VCVTPS2PH with an immediate rounding of nearest-even: ties to even,
 * overflow to inf, subnormal results kept, NaNs quieted with their top
 * payload bits; VCVTPH2PS is exact); tests/unit/test_fp16.c checks both
 * ways against the scalar functions. Elsewhere, and for the tail, the
 * scalar functions. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define AB_FP16_F16C 1

/* F16C from CPUID leaf 1 (ECX bit 29: not every compiler's
 * __builtin_cpu_supports knows its name), AVX (the ymm registers, with the
 * OS's support of them) from the compiler. */
static int have_f16c(void)
{
    static int have = -1;
    if (have < 0) {
        unsigned a, b, c, d;
        __builtin_cpu_init();
        have = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 29)) && __builtin_cpu_supports("avx");
    }
    return have;
}

__attribute__((target("avx,f16c"))) static size_t from_floats_f16c(const float *src, uint16_t *dst, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(void *)(dst + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    return i;
}

__attribute__((target("avx,f16c"))) static size_t to_floats_f16c(const uint16_t *src, float *dst, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(src + i))));
    return i;
}

__attribute__((target("avx,f16c"))) static size_t round_floats_f16c(float *x, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(x + i, _mm256_cvtph_ps(_mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT)));
    return i;
}
#endif

int fp16_hw_bulk(void)
{
#ifdef AB_FP16_F16C
    return have_f16c();
#else
    return 0;
#endif
}

void fp16_from_floats(const float *src, uint16_t *dst, size_t n)
{
    size_t i = 0;
#ifdef AB_FP16_F16C
    if (have_f16c())
        i = from_floats_f16c(src, dst, n);
#endif
    for (; i < n; i++)
        dst[i] = fp16_from_float(src[i]);
}

void fp16_to_floats(const uint16_t *src, float *dst, size_t n)
{
    size_t i = 0;
#ifdef AB_FP16_F16C
    if (have_f16c())
        i = to_floats_f16c(src, dst, n);
#endif
    for (; i < n; i++)
        dst[i] = fp16_to_float(src[i]);
}

void fp16_round_floats(float *x, size_t n)
{
    size_t i = 0;
#ifdef AB_FP16_F16C
    if (have_f16c())
        i = round_floats_f16c(x, n);
#endif
    for (; i < n; i++)
        x[i] = fp16_round(x[i]);
}

void fp16_from_floats_le(const float *src, uint8_t *dst, size_t n)
{
    uint16_t buf[1024];
    while (n > 0) {
        size_t m = n < 1024 ? n : 1024;
        fp16_from_floats(src, buf, m);
        for (size_t i = 0; i < m; i++) {
            dst[2 * i] = (uint8_t)buf[i];
            dst[2 * i + 1] = (uint8_t)(buf[i] >> 8);
        }
        src += m;
        dst += 2 * m;
        n -= m;
    }
}

void fp16_to_floats_le(const uint8_t *src, float *dst, size_t n)
{
    uint16_t buf[1024];
    while (n > 0) {
        size_t m = n < 1024 ? n : 1024;
        for (size_t i = 0; i < m; i++)
            buf[i] = (uint16_t)(src[2 * i] | src[2 * i + 1] << 8);
        fp16_to_floats(buf, dst, m);
        src += 2 * m;
        dst += m;
        n -= m;
    }
}
