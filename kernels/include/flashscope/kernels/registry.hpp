#pragma once
// The run-time registry of compiled kernel instantiations. Tile sizes are template parameters;
// each instantiation file registers what it built, and a request for anything else raises
// NotBuiltError naming the request and the nearest built tiles.
#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/dtype.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/kernels/attention_args.hpp"

namespace flashscope::kernels {

struct KernelKey {
    Algorithm algo = Algorithm::flash2;
    Pass pass = Pass::fwd;  // fwd or bwd (fwdbwd is two lookups)
    DType dtype = DType::bf16;
    std::int64_t head_dim = 0;
    TileConfig tile;

    bool operator==(const KernelKey&) const = default;
};

std::string to_string(const KernelKey& key);

// Launches the main kernel of one instantiation. `deterministic` only matters for backward.
using KernelLauncher = void (*)(const AttentionArgs& args, bool deterministic, cudaStream_t stream);
// Readies an instantiation on the current device (shared-memory opt-in); called once when a launch
// is built, so that launches inside timed regions take no lock. Throws CudaError / ConfigError.
using KernelPreparer = void (*)();

struct KernelEntry {
    KernelKey key;
    KernelLauncher launch = nullptr;
    KernelPreparer prepare = nullptr;
    std::int64_t smem_bytes = 0;  // dynamic shared memory per CTA
    bool is_default = false;      // picked when the request leaves the tile open
};

class NotBuiltError : public ConfigError {
public:
    NotBuiltError(const KernelKey& requested, const std::vector<KernelKey>& nearest);
};

class KernelRegistry {
public:
    static const KernelRegistry& instance();

    const std::vector<KernelEntry>& entries() const { return m_entries; }
    // Exact match, or, where the request's tile fields are 0, the default (else first) built
    // instantiation matching the fields that are given. Throws NotBuiltError.
    const KernelEntry& find(const KernelKey& key) const;
    std::vector<TileConfig> tiles(Algorithm algo, Pass pass, DType dtype,
                                  std::int64_t head_dim) const;
    void add(const KernelEntry& entry) { m_entries.push_back(entry); }

private:
    KernelRegistry();
    std::vector<KernelKey> nearest(const KernelKey& key, std::size_t count) const;
    std::vector<KernelEntry> m_entries;
};

// Tiles built for one algorithm, pass, dtype and head dimension; none for a pass the descriptor
// does not measure or fp32. An untiled algorithm (takes_tile() false: naive) lists one all-zero
// TileConfig. For Pass::fwdbwd: the forward tiles.
std::vector<TileConfig> built_tiles(Algorithm algo, Pass pass, DType dtype, std::int64_t head_dim);

}  // namespace flashscope::kernels
