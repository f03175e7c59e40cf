#pragma once
// Shared-memory transaction barriers (mbarrier, sm_90): how the copy engine tells consumers that a
// tile has landed, and how consumers tell the producer that a stage is free again.
//
// A barrier completes a phase when its expected arrivals have arrived and the bytes announced with
// expect_tx have been written. Phases alternate parity 0, 1, 0, ...; wait(parity) returns once the
// phase of that parity has completed. A freshly initialised barrier is in phase 0, so wait(1)
// returns at once: producers start waiting on "empty" barriers with parity 1.
#include <cstdint>

namespace flashscope::kernels::device::sm90 {

__device__ __forceinline__ void mbarrier_init(std::uint32_t bar, std::uint32_t arrivals) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;\n" ::"r"(bar), "r"(arrivals));
}

// Makes initialised barriers visible to the copy engine (async proxy); follow with a CTA barrier.
__device__ __forceinline__ void fence_barrier_init() {
    asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
}

// One arrival that also announces `bytes` to be written by the copy engine in this phase.
__device__ __forceinline__ void mbarrier_arrive_expect_tx(std::uint32_t bar, std::uint32_t bytes) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(bar), "r"(bytes)
                 : "memory");
}

__device__ __forceinline__ void mbarrier_arrive(std::uint32_t bar) {
    asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];\n" ::"r"(bar) : "memory");
}

// `count` arrivals at once (one thread standing for several).
__device__ __forceinline__ void mbarrier_arrive(std::uint32_t bar, std::uint32_t count) {
    asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0], %1;\n" ::"r"(bar), "r"(count)
                 : "memory");
}

// Spins until the phase of `parity` has completed (try_wait suspends the thread for a while
// between polls, so the loop does not hammer shared memory).
__device__ __forceinline__ void mbarrier_wait(std::uint32_t bar, std::uint32_t parity) {
    asm volatile(
        "{\n"
        ".reg .pred done;\n"
        "wait_%=:\n"
        "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
        "@!done bra wait_%=;\n"
        "}\n" ::"r"(bar),
        "r"(parity)
        : "memory");
}

// Hardware named barriers 1..15 (0 is __syncthreads) over `threads` threads, a multiple of 32.
// sync waits for all of them; arrive counts this warp in and moves on (a signal to the others).
__device__ __forceinline__ void named_barrier_sync(int id, int threads) {
    asm volatile("bar.sync %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}

__device__ __forceinline__ void named_barrier_arrive(int id, int threads) {
    asm volatile("bar.arrive %0, %1;\n" ::"r"(id), "r"(threads) : "memory");
}

// Orders this thread's ordinary shared-memory writes before later reads by the async proxy (the
// copy engine, wgmma operands).
__device__ __forceinline__ void fence_proxy_async_shared() {
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
}

}  // namespace flashscope::kernels::device::sm90
