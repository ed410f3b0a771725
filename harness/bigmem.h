/* bigmem.h: the few large arrays of a reading (a run's records, compare's
 * rows), which are written once, from the first element to the last, and
 * then read. Below 16 MB they are plain malloc blocks; from 16 MB up each
 * is a mapping of its own, aligned to 2 MB and, on Linux, asking for
 * transparent huge pages (madvise MADV_HUGEPAGE; honoured where
 * /sys/kernel/mm/transparent_hugepage/enabled says "madvise" or "always"):
 * the 110 MB of records of a 100,000-case file then take about 55 page
 * faults, not 27,000, and a walk over them about as many TLB misses. On
 * the project's VM, faulting and first touching the records in 4 KB pages
 * was a quarter of a reading's CPU time. Elsewhere (macOS) the mapping is
 * an ordinary one. */
#ifndef AB_BIGMEM_H
#define AB_BIGMEM_H

#include <stddef.h>

/* Room for bytes (zero-filled when *mapped is set on return: fresh pages;
 * not otherwise). *mapped is the mapping's size (0: a malloc block), to be
 * given back to ab_big_free / ab_big_grow. NULL when out of memory. */
void *ab_big_alloc(size_t bytes, size_t *mapped);
/* A block of bytes holding the first used bytes of p (which is then
 * freed); NULL when out of memory, p left as it was. */
void *ab_big_grow(void *p, size_t *mapped, size_t used, size_t bytes);
void ab_big_free(void *p, size_t mapped);

#endif
