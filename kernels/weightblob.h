/* weightblob.h: the ANE weight file layout (ANE-NOTES.md); the single
 * layout's weight.bin holds every layer, the per-file layout's w<l>.bin one
 * (chunk 0 only, data at 128):
 *   0    file header, 64 bytes: byte 0 = 0x01, byte 4 = 0x02, rest zero
 *   per chunk k at 64 + k*(64 + size):
 *     +0  magic EF BE AD DE
 *     +4  0x01
 *     +8  uint32 LE payload size (cout*cin*kh*kw*2; int8 weights: *1)
 *     +16 uint32 LE absolute offset of the data (chunk start + 64)
 *     +64 payload, row-major W[((o*cin + i)*kh + y)*kw + x], fp16 or int8 */
#ifndef AB_WEIGHTBLOB_H
#define AB_WEIGHTBLOB_H

#include <stddef.h>
#include <stdint.h>
#include "kernels/kernel.h"

/* Builds the blob for all depth layers of k; returns malloc'd bytes (*len
 * set), or NULL when out of memory or when a size/offset field cannot hold
 * the value (cout*cin*2 or a data offset >= 2^32). */
uint8_t *weightblob_build(const ab_kernel *k, size_t *len);
/* A whole file holding layer l's weights alone (the per-file layout's
 * weights/w<l>.bin: header, one chunk at 64, data at 128); NULL as above or
 * when l >= depth. */
uint8_t *weightblob_build_layer(const ab_kernel *k, size_t l, size_t *len);
/* What layer l's BLOBFILE names in layout w: the path (into path, n bytes)
 * and the chunk's offset in that file. 0, or -1 when path is too small. */
int weightblob_ref(const ab_kernel *k, ab_weights_layout w, size_t l, char *path, size_t n, size_t *offset);
/* Where layer l's first weight lies in layout w: the index of its file
 * (kernel_weight_files' order) in *file, the byte offset in it returned. */
size_t weightblob_first_weight(const ab_kernel *k, ab_weights_layout w, size_t l, size_t *file);
/* Offset of chunk i's header (what the MIL BLOBFILE offset names): for k's
 * layers, and for fp16 1x1 layers of cout x cin. */
size_t weightblob_layer_offset(const ab_kernel *k, size_t i);
size_t weightblob_chunk_offset(size_t i, size_t cout, size_t cin);
/* Parses an fp16 1x1 blob back into fp32 weights (depth*cout*cin); 0 ok, -1 bad.
 * Safe on hostile bytes: the length must be exactly the layout's, every
 * header field (magic, 0x01/0x02 markers, true size and offset, reserved
 * zeros) is checked before any weight is written. */
int weightblob_parse(const uint8_t *blob, size_t len, size_t depth, size_t cout, size_t cin, float *w);

#endif
