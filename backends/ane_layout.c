/* ane_layout.c: the ANE's buffer layout and the choice of ane_api
 * implementation, shared by the objc bridge, the simulator, the backend and
 * the probes.
 *
 * Layout (ANE-NOTES.md "Buffers"): channel-first [1, C, 1, S], channel c at
 * byte c * PlaneStride, element s at s * element size within it (tmc/apple
 * x/ane doc.go). The strides come from the compiled model (modelAttributes,
 * read by the api's io_layout); tmc requires only 64-byte row alignment, one
 * unmerged report (maderix/ANE #35) says 128 on M5; maderix/ANE itself ran
 * flat unpadded rows. ane_row_bytes (128) is kept for the probes, whose
 * shapes all have rows of 128 bytes or more, where every source agrees.
 * Padding bytes are zero. Weight file paths: ane_weight_path_ok. */
#include "backends/ane_api.h"

#include <string.h>
#include "kernels/fp16.h"

enum { ANE_ROW_ALIGN = 128 };

size_t ane_row_stride(size_t spatial, size_t elem_size, size_t align)
{
    size_t raw = spatial * elem_size;
    return align ? (raw + align - 1) / align * align : raw;
}

bool ane_weight_path_ok(const char *path)
{
    static const char prefix[] = "@model_path/weights/";
    if (!path || strncmp(path, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *name = path + sizeof prefix - 1;
    if (!*name || *name == '.')
        return false;
    for (; *name; name++)
        if (!((*name >= '0' && *name <= '9') || (*name >= 'a' && *name <= 'z') ||
              (*name >= 'A' && *name <= 'Z') || *name == '.' || *name == '_' || *name == '-'))
            return false;
    return true;
}

size_t ane_row_bytes(size_t spatial, size_t elem_size)
{
    return ane_row_stride(spatial, elem_size, ANE_ROW_ALIGN);
}

void ane_pack(const float *src, size_t channels, size_t spatial, size_t elem, uint8_t *dst)
{
    ane_pack_rows(src, channels, spatial, elem, ane_row_bytes(spatial, elem), dst);
}

void ane_unpack(const uint8_t *src, size_t channels, size_t spatial, size_t elem, float *dst)
{
    ane_unpack_rows(src, channels, spatial, elem, ane_row_bytes(spatial, elem), dst);
}

void ane_pack_rows(const float *src, size_t channels, size_t spatial, size_t elem, size_t row, uint8_t *dst)
{
    memset(dst, 0, channels * row);
    for (size_t c = 0; c < channels; c++) {
        uint8_t *d = dst + c * row;
        const float *s = src + c * spatial;
        if (elem == 2) {
            fp16_from_floats_le(s, d, spatial);
        } else {
            memcpy(d, s, spatial * sizeof(float));
        }
    }
}

void ane_unpack_rows(const uint8_t *src, size_t channels, size_t spatial, size_t elem, size_t row, float *dst)
{
    for (size_t c = 0; c < channels; c++) {
        const uint8_t *s = src + c * row;
        float *d = dst + c * spatial;
        if (elem == 2) {
            fp16_to_floats_le(s, d, spatial);
        } else {
            memcpy(d, s, spatial * sizeof(float));
        }
    }
}

int ane_api_select(const char *spec, const ane_api_ops **ops, const char **arg, ab_err *e)
{
    const char *colon = spec ? strchr(spec, ':') : NULL;
    size_t nlen = colon ? (size_t)(colon - spec) : (spec ? strlen(spec) : 0);
    if (spec && nlen == 3 && !strncmp(spec, "ane", 3)) {
        if (colon)
            return ab_errf(e, AB_EUSAGE, "unexpected argument in backend '%s' (the ane backend takes none)",
                           spec);
#ifdef __APPLE__
        *ops = &ane_api_objc;
        *arg = NULL;
        return AB_OK;
#else
        return ab_errf(e, AB_EUSAGE, "the ane backend needs macOS on Apple silicon; use ane-sim:m5");
#endif
    }
    if (spec && nlen == 7 && !strncmp(spec, "ane-sim", 7)) {
        if (colon && colon[1] == '\0')
            return ab_errf(e, AB_EUSAGE, "missing profile in backend '%s' (known: m4, m5)", spec);
        *ops = &ane_api_sim;
        *arg = colon ? colon + 1 : "m5";
        return AB_OK;
    }
    return ab_errf(e, AB_EUSAGE, "unknown ANE backend '%s' (use ane or ane-sim[:m4|m5])", spec ? spec : "");
}
