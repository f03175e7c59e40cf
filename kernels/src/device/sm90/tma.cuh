#pragma once
// Tensor-memory-accelerator copies (cp.async.bulk.tensor, sm_90): one thread asks the copy engine
// for a whole box of a tensor described by a tensor map (made on the host, tma_map.hpp) and the
// engine writes it into shared memory, swizzled as the map says, counting the bytes on an
// mbarrier. Coordinates are element indices, innermost first; parts of the box outside the tensor
// are filled with zeros on loads and skipped on stores.
#include <cuda.h>

#include <cstdint>

namespace flashscope::kernels::device::sm90 {

// Pulls the map into the constant cache before its first use.
__device__ __forceinline__ void prefetch_tensor_map(const CUtensorMap* map) {
    asm volatile("prefetch.tensormap [%0];\n" ::"l"(reinterpret_cast<std::uint64_t>(map))
                 : "memory");
}

// Box at (c0, c1, c2, c3) of a 4-d map into shared memory at `dst`; completes on `bar`.
__device__ __forceinline__ void tma_load_4d(std::uint32_t dst, const CUtensorMap* map,
                                            std::uint32_t bar, int c0, int c1, int c2, int c3) {
    asm volatile(
        "cp.async.bulk.tensor.4d.shared::cluster.global.tile.mbarrier::complete_tx::bytes"
        " [%0], [%1, {%3, %4, %5, %6}], [%2];\n" ::"r"(dst),
        "l"(reinterpret_cast<std::uint64_t>(map)), "r"(bar), "r"(c0), "r"(c1), "r"(c2), "r"(c3)
        : "memory");
}

// Box of shared memory at `src` to (c0, c1, c2, c3) of a 4-d map, in this thread's bulk group.
// The writing threads must have fenced their shared-memory stores (fence_proxy_async_shared).
__device__ __forceinline__ void tma_store_4d(const CUtensorMap* map, std::uint32_t src, int c0,
                                             int c1, int c2, int c3) {
    asm volatile(
        "cp.async.bulk.tensor.4d.global.shared::cta.tile.bulk_group"
        " [%0, {%2, %3, %4, %5}], [%1];\n" ::"l"(reinterpret_cast<std::uint64_t>(map)),
        "r"(src), "r"(c0), "r"(c1), "r"(c2), "r"(c3)
        : "memory");
}

// Adds (fp32) a box of shared memory at `src` into (c0, c1, c2, c3) of a 4-d map, element by
// element at L2, in this thread's bulk group; parts outside the tensor are skipped. The writing
// threads must have fenced their shared-memory stores (fence_proxy_async_shared).
__device__ __forceinline__ void tma_reduce_add_4d(const CUtensorMap* map, std::uint32_t src, int c0,
                                                  int c1, int c2, int c3) {
    asm volatile(
        "cp.reduce.async.bulk.tensor.4d.global.shared::cta.add.tile.bulk_group"
        " [%0, {%2, %3, %4, %5}], [%1];\n" ::"l"(reinterpret_cast<std::uint64_t>(map)),
        "r"(src), "r"(c0), "r"(c1), "r"(c2), "r"(c3)
        : "memory");
}

__device__ __forceinline__ void tma_store_commit() {
    asm volatile("cp.async.bulk.commit_group;\n" ::: "memory");
}

// Waits until the committed stores have read their shared memory (it may then be reused or the
// CTA may exit).
__device__ __forceinline__ void tma_store_wait_read() {
    asm volatile("cp.async.bulk.wait_group.read 0;\n" ::: "memory");
}

}  // namespace flashscope::kernels::device::sm90
