/* ane_sim_mem.c: the simulator's big host buffers (weight files "on disk",
 * surfaces, computed outputs), kept when freed and handed out again for
 * the same size. Each phase repeat of a case creates a model and surfaces
 * of the sizes the last one freed; fresh memory for each costs a page
 * fault per 4 KiB page (tens of milliseconds a repeat for a 2048-channel
 * case on a virtual machine), which is the host's work, not the modelled
 * engine's. A few blocks are kept, the oldest dropped first. */
#include "backends/ane_sim_prog.h"
#include "harness/platform.h"

#include <stdlib.h>
#include <string.h>

/* Sizes are kept in 4 KiB pages (0 bytes is one page). */
static size_t cap_of(size_t size)
{
    return size ? (size + 4095) / 4096 * 4096 : 4096;
}

void *sim_mem_get(sim_pool *pl, size_t size)
{
    size_t cap = cap_of(size);
    for (size_t i = pl->n; i-- > 0;)
        if (pl->blk[i].cap == cap) {
            void *p = pl->blk[i].p;
            memmove(&pl->blk[i], &pl->blk[i + 1], (pl->n - i - 1) * sizeof pl->blk[0]);
            pl->n--;
            return p;
        }
    return ab_host_alloc(cap);
}

void sim_mem_put(sim_pool *pl, void *p, size_t size)
{
    if (!p)
        return;
    if (pl->n == SIM_POOL_BLOCKS) {
        free(pl->blk[0].p);
        memmove(&pl->blk[0], &pl->blk[1], (pl->n - 1) * sizeof pl->blk[0]);
        pl->n--;
    }
    pl->blk[pl->n].p = p;
    pl->blk[pl->n].cap = cap_of(size);
    pl->n++;
}

void sim_pool_free(sim_pool *pl)
{
    for (size_t i = 0; i < pl->n; i++)
        free(pl->blk[i].p);
    pl->n = 0;
}
