// Runs every kernel of every algorithm once on a small ragged problem, for compute-sanitizer
// (memcheck, racecheck, initcheck, synccheck). Exits 77 (ctest's skip code) when no CUDA device is
// present.
#include <cuda_runtime.h>

#include <cstdio>
#include <exception>

#include "flashscope/kernels/launch_plans.hpp"
#include "flashscope/kernels/workspace.hpp"

int main() {
    using namespace flashscope;
    if (!kernels::device_available()) {
        std::puts("no CUDA device: skipped");
        return 77;
    }
    try {
        for (auto [dtype, d] : {std::pair{DType::bf16, 128}, std::pair{DType::fp16, 64},
                                std::pair{DType::bf16, 256}}) {
            AttentionProblem p;
            p.batch = 1;
            p.heads = 2;
            p.kv_heads = 1;
            p.seq_q = 97;
            p.seq_k = 130;
            p.head_dim = d;
            p.dtype = dtype;
            p.causal = true;
            kernels::AttentionWorkspace w(p);
            auto run = [&](Algorithm a, Pass pass, bool det) {
                for (auto& launch : w.launches(a, pass, {}, det)) {
                    launch.run(nullptr);
                    std::printf("ran %s\n", launch.name.c_str());
                }
            };
            // Every algorithm with CUDA kernels, each measured pass; the deterministic backward
            // too.
            for (Algorithm a : all_algorithms()) {
                if (!kernels::runs_on_current_device(a)) continue;
                // d = 256 only where built (flash3; naive takes any head dim).
                if (kernels::built_tiles(a, Pass::fwd, dtype, d).empty()) continue;
                const auto& row = descriptor(a);
                // The backward only where built too.
                const bool backward = !kernels::built_tiles(a, Pass::bwd, dtype, d).empty();
                if (row.measures(Pass::fwdbwd) && backward)
                    run(a, Pass::fwdbwd, false);
                else if (row.measures(Pass::fwd))
                    run(a, Pass::fwd, false);
                if (backward && kernels::has_deterministic_mode(a)) run(a, Pass::bwd, true);
            }
            if (cudaDeviceSynchronize() != cudaSuccess) return 1;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
