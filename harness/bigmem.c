/* bigmem.c: large arrays in huge pages where the system has them (see
 * bigmem.h). */
#include "harness/bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum {
    BIG = 2 << 20,      /* a huge page of x86-64 and arm64 Linux */
    MAP_MIN = 16 << 20, /* the smallest block mapped: below, malloc (a block is resident in whole huge
                         * pages: rounding up would be more than an eighth of a smaller one) */
};

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/* A mapping of len bytes (a multiple of BIG) starting on a BIG boundary:
 * a huge page can only back an aligned 2 MB range that the mapping holds
 * whole. */
static void *map_aligned(size_t len)
{
    if (len > SIZE_MAX - BIG)
        return NULL;
    char *p = mmap(NULL, len + BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *a = (char *)(((uintptr_t)p + BIG - 1) & ~(uintptr_t)(BIG - 1));
    if (a > p)
        munmap(p, (size_t)(a - p));
    if (a + len < p + len + BIG)
        munmap(a + len, (size_t)(p + len + BIG - (a + len)));
#ifdef MADV_HUGEPAGE
    madvise(a, len, MADV_HUGEPAGE); /* a hint: without huge pages it is an ordinary mapping */
#endif
    return a;
}

void *ab_big_alloc(size_t bytes, size_t *mapped)
{
    *mapped = 0;
    if (bytes < MAP_MIN)
        return malloc(bytes ? bytes : 1);
    size_t len = (bytes + BIG - 1) / BIG * BIG;
    void *p = len >= bytes ? map_aligned(len) : NULL;
    if (p)
        *mapped = len;
    return p;
}

void *ab_big_grow(void *p, size_t *mapped, size_t used, size_t bytes)
{
    if (!*mapped && bytes < MAP_MIN)
        return realloc(p, bytes ? bytes : 1);
    if (*mapped >= bytes)
        return p;
    size_t nm;
    void *q = ab_big_alloc(bytes, &nm);
    if (!q)
        return NULL;
    if (used)
        memcpy(q, p, used);
    ab_big_free(p, *mapped);
    *mapped = nm;
    return q;
}

void ab_big_free(void *p, size_t mapped)
{
    if (mapped)
        munmap(p, mapped);
    else
        free(p);
}
