#include "tma_map.hpp"

#include <cudaTypedefs.h>
#include <cuda_runtime.h>

#include <mutex>
#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/kernels/cuda_error.hpp"

namespace flashscope::kernels::detail {
namespace {

PFN_cuTensorMapEncodeTiled_v12000 encode_function() {
    static PFN_cuTensorMapEncodeTiled_v12000 function = nullptr;
    static std::once_flag once;
    std::call_once(once, [] {
        void* entry = nullptr;
        cudaDriverEntryPointQueryResult found = cudaDriverEntryPointSymbolNotFound;
        FLASHSCOPE_CUDA_CHECK(cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &entry,
                                                               12000, cudaEnableDefault, &found));
        if (found == cudaDriverEntryPointSuccess)
            function = reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(entry);
    });
    if (function == nullptr)
        throw CudaError("cuTensorMapEncodeTiled: not found in the CUDA driver (needs CUDA 12+)");
    return function;
}

void check_stride(const char* what, std::int64_t elements) {
    const std::int64_t bytes = elements * 2;
    constexpr std::int64_t k_limit = std::int64_t{1} << 40;
    if (bytes % 16 != 0 || bytes <= 0 || bytes >= k_limit)
        throw ConfigError(what, std::to_string(elements) + " elements",
                          "the copy engine needs a positive multiple of 16 bytes below 2^40");
}

void check_extent(const char* what, std::int64_t extent) {
    if (extent <= 0 || extent > (std::int64_t{1} << 32))
        throw ConfigError(what, std::to_string(extent), "the copy engine takes 1 .. 2^32");
}

}  // namespace

CUtensorMap make_tile_map(const TensorRef& ref, DType dtype, std::int64_t batch, std::int64_t heads,
                          std::int64_t rows, std::int64_t head_dim, int box_rows) {
    if (dtype != DType::bf16 && dtype != DType::fp16)
        throw ConfigError("dtype", std::string(to_string(dtype)), "tensor maps take bf16 or fp16");
    if (reinterpret_cast<std::uintptr_t>(ref.data) % 16 != 0)
        throw ConfigError("tensor address",
                          std::to_string(reinterpret_cast<std::uintptr_t>(ref.data)),
                          "the copy engine needs 16-byte alignment");
    if (head_dim % 64 != 0)
        throw ConfigError("head_dim", std::to_string(head_dim),
                          "a multiple of 64 for the copy engine");
    check_extent("batch", batch);
    check_extent("heads", heads);
    check_extent("rows", rows);
    // A stride of a dimension of extent 1 is never followed: give it a legal value.
    check_stride("row stride", ref.row_stride);
    check_stride("head stride", heads > 1 ? ref.head_stride : 8);
    check_stride("batch stride", batch > 1 ? ref.batch_stride : 8);

    const cuuint64_t dims[4] = {static_cast<cuuint64_t>(head_dim), static_cast<cuuint64_t>(rows),
                                static_cast<cuuint64_t>(heads), static_cast<cuuint64_t>(batch)};
    const cuuint64_t strides[3] = {static_cast<cuuint64_t>(ref.row_stride * 2),
                                   static_cast<cuuint64_t>((heads > 1 ? ref.head_stride : 8) * 2),
                                   static_cast<cuuint64_t>((batch > 1 ? ref.batch_stride : 8) * 2)};
    const cuuint32_t box[4] = {64, static_cast<cuuint32_t>(box_rows), 1, 1};
    const cuuint32_t element_strides[4] = {1, 1, 1, 1};
    CUtensorMap map{};
    const CUresult status = encode_function()(
        &map,
        dtype == DType::bf16 ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 : CU_TENSOR_MAP_DATA_TYPE_FLOAT16,
        4, ref.data, dims, strides, box, element_strides, CU_TENSOR_MAP_INTERLEAVE_NONE,
        CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B,
        CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    if (status != CUDA_SUCCESS)
        throw CudaError("cuTensorMapEncodeTiled failed with CUresult " + std::to_string(status) +
                        " (rows " + std::to_string(rows) + ", box rows " +
                        std::to_string(box_rows) + ")");
    return map;
}

CUtensorMap make_accumulator_map(float* data, std::int64_t batch, std::int64_t heads,
                                 std::int64_t rows, std::int64_t head_dim, int box_rows) {
    if (reinterpret_cast<std::uintptr_t>(data) % 16 != 0)
        throw ConfigError("accumulator address",
                          std::to_string(reinterpret_cast<std::uintptr_t>(data)),
                          "the copy engine needs 16-byte alignment");
    if (head_dim % 32 != 0)
        throw ConfigError("head_dim", std::to_string(head_dim),
                          "a multiple of 32 for the copy engine");
    check_extent("batch", batch);
    check_extent("heads", heads);
    check_extent("rows", rows);
    // Strides in bytes, checked like the tiles' (row_stride counts 2-byte elements there).
    const std::int64_t row_bytes = head_dim * 4;
    const std::int64_t head_bytes = rows * row_bytes;
    const std::int64_t batch_bytes = heads * head_bytes;
    check_stride("accumulator row stride", row_bytes / 2);
    check_stride("accumulator head stride", head_bytes / 2);
    check_stride("accumulator batch stride", batch_bytes / 2);
    const cuuint64_t dims[4] = {static_cast<cuuint64_t>(head_dim), static_cast<cuuint64_t>(rows),
                                static_cast<cuuint64_t>(heads), static_cast<cuuint64_t>(batch)};
    const cuuint64_t strides[3] = {static_cast<cuuint64_t>(row_bytes),
                                   static_cast<cuuint64_t>(head_bytes),
                                   static_cast<cuuint64_t>(batch_bytes)};
    const cuuint32_t box[4] = {32, static_cast<cuuint32_t>(box_rows), 1, 1};
    const cuuint32_t element_strides[4] = {1, 1, 1, 1};
    CUtensorMap map{};
    const CUresult status = encode_function()(
        &map, CU_TENSOR_MAP_DATA_TYPE_FLOAT32, 4, data, dims, strides, box, element_strides,
        CU_TENSOR_MAP_INTERLEAVE_NONE, CU_TENSOR_MAP_SWIZZLE_128B,
        CU_TENSOR_MAP_L2_PROMOTION_L2_256B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    if (status != CUDA_SUCCESS)
        throw CudaError("cuTensorMapEncodeTiled (fp32 accumulator) failed with CUresult " +
                        std::to_string(status) + " (rows " + std::to_string(rows) + ")");
    return map;
}

}  // namespace flashscope::kernels::detail
