#include <cuda_runtime.h>

#include <string>

#include "flash3_fwd_smem.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/kernels/cuda_error.hpp"

namespace flashscope::kernels::detail {

namespace {

int compute_capability() {
    int device = 0, major = 0, minor = 0;
    FLASHSCOPE_CUDA_CHECK(cudaGetDevice(&device));
    FLASHSCOPE_CUDA_CHECK(
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device));
    FLASHSCOPE_CUDA_CHECK(
        cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device));
    return major * 10 + minor;
}

}  // namespace

bool flash3_device_supported() {
    try {
        return compute_capability() == 90;
    } catch (const CudaError&) {
        return false;
    }
}

void check_flash3_device() {
    const int cc = compute_capability();
    if (cc != 90)
        throw ConfigError("algo", "flash3 on sm_" + std::to_string(cc),
                          "the flash3 kernels are built for sm_90a (H100, H200) only");
}

void check_flash3_shape(const AttentionArgs& args) {
    constexpr std::int64_t k_limit = (std::int64_t{1} << 31) - 256;
    if (args.seq_q > k_limit || args.seq_k > k_limit)
        throw ConfigError("seq", std::to_string(args.seq_q > args.seq_k ? args.seq_q : args.seq_k),
                          "flash3 takes sequences below 2^31 - 256 (32-bit copy coordinates)");
    if (args.heads > 65535 || args.batch > 65535)
        throw ConfigError("heads x batch",
                          std::to_string(args.heads) + " x " + std::to_string(args.batch),
                          "flash3's grid takes at most 65535 of each");
}

}  // namespace flashscope::kernels::detail
