// What the device reports about itself: the preset's structural keys.
#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"

namespace flashscope::ceilings {

bool device_present() {
    int count = 0;
    return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}

DeviceFacts device_facts(int device) {
    cudaDeviceProp prop{};
    CEILINGS_CHECK(cudaGetDeviceProperties(&prop, device));
    DeviceFacts f;
    f.name = prop.name;
    f.cc_major = prop.major;
    f.cc_minor = prop.minor;
    f.sm_count = prop.multiProcessorCount;
    f.registers_per_sm = prop.regsPerMultiprocessor;
    f.max_threads_per_sm = prop.maxThreadsPerMultiProcessor;
    f.max_threads_per_cta = prop.maxThreadsPerBlock;
    f.max_ctas_per_sm = prop.maxBlocksPerMultiProcessor;
    f.sram_per_sm_bytes = std::int64_t(prop.sharedMemPerMultiprocessor);
    f.sram_per_block_optin_bytes = std::int64_t(prop.sharedMemPerBlockOptin);
    f.l2_bytes = prop.l2CacheSize;
    f.global_bytes = std::int64_t(prop.totalGlobalMem);
    int clock_khz = 0;
    CEILINGS_CHECK(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device));
    f.clock_attribute_mhz = clock_khz / 1000;
    return f;
}

}  // namespace flashscope::ceilings
