#pragma once
// The register use ptxas gave the built tiled kernels (kernels/resource_usage.json, written by the
// kernels' build: format "flashscope ptxas resource usage 1"), so that `validate --repredict
// --ptxas` can predict a measured kernel with the occupancy it ran at instead of the schedule's
// estimate. Host code.
#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/dtype.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::validate {

struct PtxasKernel {
    std::string function;  // demangled
    std::string arch;      // "sm_90", ...
    std::string algorithm;
    Pass pass = Pass::fwd;
    DType dtype = DType::bf16;
    std::int64_t head_dim = 0;
    TileConfig tile;
    std::int64_t registers = 0;
    std::int64_t spill_bytes = 0;  // spill stores per thread
};

// The tiled kernels (<algo>_<pass>_kernel<T, d, block_m, block_n, warps, stages>) of a
// resource_usage.json; other kernels of the file are skipped. Throws ConfigError naming the file
// when it cannot be read or is not that format.
std::vector<PtxasKernel> read_ptxas_kernels(const std::string& path);

// Every kernel of the table built for `arch` (or its "a" variant: sm_90a kernels run on sm_90),
// as keyed request entries (kernel name, head dim, dtype, tile): a request carrying them predicts
// built tiles with their registers.
std::vector<sim::KernelRegisters> ptxas_entries(const std::vector<PtxasKernel>& table,
                                                const std::string& arch);

}  // namespace flashscope::validate
