#pragma once
// Internal: CUDA runtime and CUPTI status -> ProfilerError with an actionable message.
#include <cuda_runtime_api.h>
#include <cupti_result.h>

#include <cstddef>

namespace flashscope::profiler::detail {

void check_cuda(cudaError_t status, const char* what);
void check_cupti(CUptiResult status, const char* what);

}  // namespace flashscope::profiler::detail

namespace flashscope::profiler::detail {

// A zeroed CUPTI parameter struct with its size filled in, as every CUPTI call expects.
template <class Params>
Params make_params(std::size_t struct_size) {
    Params p{};
    p.structSize = struct_size;
    return p;
}

}  // namespace flashscope::profiler::detail

// cupti_params(CUpti_X_Params) -> a zeroed CUpti_X_Params with structSize =
// CUpti_X_Params_STRUCT_SIZE.
#define cupti_params(T) ::flashscope::profiler::detail::make_params<T>(T##_STRUCT_SIZE)
