/* fp16.h: IEEE 754 binary16 conversion (round to nearest even), without
 * relying on compiler _Float16 support. */
#ifndef AB_FP16_H
#define AB_FP16_H

#include <stddef.h>
#include <stdint.h>

uint16_t fp16_from_float(float f);
float fp16_to_float(uint16_t h);
/* Rounds f to the nearest fp16 value, returned as float. */
float fp16_round(float f);
/* Bulk forms of the three, bit for bit the same results (in hardware where
 * the CPU has it: fp16_hw_bulk). _le: from and into little-endian bytes
 * (the weight blob's and the ANE's surfaces' order), whatever the host's. */
void fp16_from_floats(const float *src, uint16_t *dst, size_t n);
void fp16_to_floats(const uint16_t *src, float *dst, size_t n);
void fp16_round_floats(float *x, size_t n);
void fp16_from_floats_le(const float *src, uint8_t *dst, size_t n);
void fp16_to_floats_le(const uint8_t *src, float *dst, size_t n);
int fp16_hw_bulk(void);

#endif
