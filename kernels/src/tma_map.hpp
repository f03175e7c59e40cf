#pragma once
// Tensor maps for the copy engine (TMA), made on the host. The driver's cuTensorMapEncodeTiled is
// reached through the runtime's driver entry point, so nothing links libcuda directly.
#include <cuda.h>

#include <cstdint>

#include "flashscope/core/dtype.hpp"
#include "flashscope/kernels/attention_args.hpp"

namespace flashscope::kernels::detail {

// A 4-d map over one attention tensor, (batch, heads, rows, head_dim) with `ref`'s strides, read
// and written in boxes of (64 columns, box_rows rows) of one (batch, head) with the 128-byte
// swizzle: one swizzled panel of a shared-memory tile per copy (device/sm90/wgmma.cuh). Throws
// ConfigError when the tensor breaks the copy engine's rules (16-byte aligned base and strides).
CUtensorMap make_tile_map(const TensorRef& ref, DType dtype, std::int64_t batch, std::int64_t heads,
                          std::int64_t rows, std::int64_t head_dim, int box_rows);

// A 4-d map over the fp32 dQ accumulator (batch, heads, rows, head_dim), contiguous, read and
// written in boxes of (32 columns, box_rows rows) with the 128-byte swizzle: a 128-byte-row panel
// per copy, as the flash3 backward stages its dQ tiles. Throws ConfigError / CudaError.
CUtensorMap make_accumulator_map(float* data, std::int64_t batch, std::int64_t heads,
                                 std::int64_t rows, std::int64_t head_dim, int box_rows);

}  // namespace flashscope::kernels::detail
