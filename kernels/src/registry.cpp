#include "flashscope/kernels/registry.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "flashscope/kernels/launch_plans.hpp"

namespace flashscope::kernels {

namespace detail {
#define FLASHSCOPE_KERNEL_UNIT(unit) void register_##unit(KernelRegistry& registry);
#include "kernel_units.inc"
#undef FLASHSCOPE_KERNEL_UNIT
}  // namespace detail

std::string to_string(const KernelKey& key) {
    std::ostringstream out;
    out << to_string(key.algo) << " " << to_string(key.pass) << " " << to_string(key.dtype)
        << " d=" << key.head_dim << " block_m=" << key.tile.block_m
        << " block_n=" << key.tile.block_n << " warps=" << key.tile.warps
        << " stages=" << key.tile.stages;
    return out.str();
}

namespace {

std::string nearest_text(const std::vector<KernelKey>& nearest) {
    if (nearest.empty()) return "nothing is built for this algorithm and pass";
    std::string text = "built nearest: ";
    for (std::size_t i = 0; i < nearest.size(); ++i) {
        if (i > 0) text += "; ";
        text += to_string(nearest[i]);
    }
    return text;
}

bool field_matches(std::int64_t requested, std::int64_t built) {
    return requested == 0 || requested == built;
}

bool matches(const KernelKey& request, const KernelKey& built) {
    return request.algo == built.algo && request.pass == built.pass &&
           request.dtype == built.dtype && request.head_dim == built.head_dim &&
           field_matches(request.tile.block_m, built.tile.block_m) &&
           field_matches(request.tile.block_n, built.tile.block_n) &&
           field_matches(request.tile.warps, built.tile.warps) &&
           field_matches(request.tile.stages, built.tile.stages);
}

// Distance between a request and a built key: mismatching dtype / head dim weigh most, then the
// tile fields by log2 ratio.
double distance(const KernelKey& a, const KernelKey& b) {
    auto log_gap = [](std::int64_t x, std::int64_t y) {
        if (x == 0 || y == 0) return 0.0;
        double gap = 0;
        while (x < y) x *= 2, gap += 1;
        while (x > y) y *= 2, gap += 1;
        return gap;
    };
    double d = 0;
    if (a.dtype != b.dtype) d += 100;
    d += 50 * log_gap(a.head_dim, b.head_dim);
    d += log_gap(a.tile.block_m, b.tile.block_m) + log_gap(a.tile.block_n, b.tile.block_n) +
         0.5 * log_gap(a.tile.warps, b.tile.warps) +
         0.25 * std::abs(static_cast<double>(a.tile.stages - b.tile.stages));
    return d;
}

}  // namespace

NotBuiltError::NotBuiltError(const KernelKey& requested, const std::vector<KernelKey>& nearest)
    : ConfigError("kernel", to_string(requested), "not built; " + nearest_text(nearest)) {}

KernelRegistry::KernelRegistry() {
#define FLASHSCOPE_KERNEL_UNIT(unit) detail::register_##unit(*this);
#include "kernel_units.inc"
#undef FLASHSCOPE_KERNEL_UNIT
}

const KernelRegistry& KernelRegistry::instance() {
    static const KernelRegistry registry;
    return registry;
}

const KernelEntry& KernelRegistry::find(const KernelKey& key) const {
    const KernelEntry* first = nullptr;
    for (const KernelEntry& entry : m_entries) {
        if (!matches(key, entry.key)) continue;
        if (entry.key == key || entry.is_default) return entry;
        if (first == nullptr) first = &entry;
    }
    if (first != nullptr) return *first;
    throw NotBuiltError(key, nearest(key, 3));
}

std::vector<KernelKey> KernelRegistry::nearest(const KernelKey& key, std::size_t count) const {
    std::vector<std::pair<double, KernelKey>> scored;
    for (const KernelEntry& entry : m_entries) {
        if (entry.key.algo != key.algo || entry.key.pass != key.pass) continue;
        scored.emplace_back(distance(key, entry.key), entry.key);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<KernelKey> result;
    for (std::size_t i = 0; i < scored.size() && i < count; ++i) result.push_back(scored[i].second);
    return result;
}

std::vector<TileConfig> KernelRegistry::tiles(Algorithm algo, Pass pass, DType dtype,
                                              std::int64_t head_dim) const {
    std::vector<TileConfig> result;
    for (const KernelEntry& entry : m_entries) {
        const KernelKey& k = entry.key;
        if (k.algo == algo && k.pass == pass && k.dtype == dtype && k.head_dim == head_dim)
            result.push_back(k.tile);
    }
    return result;
}

std::vector<TileConfig> built_tiles(Algorithm algo, Pass pass, DType dtype, std::int64_t head_dim) {
    if (dtype == DType::fp32) return {};  // the CUDA kernels take fp16 and bf16
    if (!has_launch_plan(algo) || !descriptor(algo).measures(pass)) return {};
    if (!takes_tile(algo)) return {TileConfig{}};
    const Pass lookup = pass == Pass::fwdbwd ? Pass::fwd : pass;
    return KernelRegistry::instance().tiles(algo, lookup, dtype, head_dim);
}

}  // namespace flashscope::kernels
