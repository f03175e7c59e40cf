// The simulator's register estimate per thread (and its spills) against what ptxas reported for
// every tiled kernel of this build (kernels/resource_usage.json, written by the build from
// nvcc --resource-usage). No GPU needed: ptxas runs at build time.
#include <cxxabi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::test {
namespace {

// A kernel as ptxas compiled it.
struct PtxasKernel {
    std::string function;  // demangled
    std::string arch;
    std::int64_t registers = 0;
    std::int64_t spill_bytes = 0;  // spill stores per thread (each spilled word is stored once)
};

std::string demangled(const std::string& mangled) {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> name(
        abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status), std::free);
    return status == 0 && name ? std::string(name.get()) : mangled;
}

std::vector<PtxasKernel> ptxas_kernels() {
    // This build's table; FLASHSCOPE_RESOURCE_USAGE checks another build's (e.g. the full set).
    const char* other = std::getenv("FLASHSCOPE_RESOURCE_USAGE");
    std::ifstream in(other != nullptr ? other : FLASHSCOPE_RESOURCE_USAGE);
    std::stringstream text;
    text << in.rdbuf();
    const auto root = boost::json::parse(text.str()).as_object();
    EXPECT_EQ(root.at("format").as_string(), "flashscope ptxas resource usage 1");
    std::vector<PtxasKernel> out;
    for (const auto& v : root.at("kernels").as_array()) {
        const auto& o = v.as_object();
        out.push_back({demangled(std::string(o.at("function").as_string())),
                       std::string(o.at("arch").as_string()), o.at("registers").as_int64(),
                       o.at("spill_store_bytes").as_int64()});
    }
    return out;
}

// A tiled kernel's template arguments: flashscope::kernels::detail::<algo>_<pass>_kernel<T, d,
// block_m, block_n, warps, stages>.
struct TiledKernel {
    Algorithm algorithm;
    Pass pass;
    DType dtype;
    std::int64_t head_dim;
    TileConfig tile;
};

std::optional<TiledKernel> tiled(const std::string& function) {
    static const std::regex pattern(
        R"(detail::(flash[12])_(fwd|bwd)_kernel<(__nv_bfloat16|__half), (\d+), (\d+), (\d+), (\d+), (\d+)>)");
    std::smatch m;
    if (!std::regex_search(function, m, pattern)) return std::nullopt;
    TiledKernel k;
    k.algorithm = m[1] == "flash1" ? Algorithm::flash1 : Algorithm::flash2;
    k.pass = m[2] == "fwd" ? Pass::fwd : Pass::bwd;
    k.dtype = m[3] == "__half" ? DType::fp16 : DType::bf16;
    k.head_dim = std::stoll(m[4]);
    k.tile = {std::stoll(m[5]), std::stoll(m[6]), std::stoll(m[7]), std::stoll(m[8])};
    return k;
}

// The simulator's resources of the pass's main kernel (the one named <algo>_<pass>).
sim::KernelResult simulated(const TiledKernel& k) {
    sim::SimulationRequest request;
    request.gpu = sim::gpu_preset("h100-sxm5");
    request.problem.batch = 1;
    request.problem.heads = request.problem.kv_heads = 1;
    request.problem.seq_q = request.problem.seq_k = 1024;
    request.problem.head_dim = k.head_dim;
    request.problem.dtype = k.dtype;
    request.problem.pass = k.pass;
    request.algorithm = k.algorithm;
    request.tile = k.tile;
    request.model = sim::Model::analytic;
    const auto result = sim::simulate(request);
    const std::string main =
        std::string(to_string(k.algorithm)) + "_" + std::string(to_string(k.pass));
    for (const auto& kr : result.kernels)
        if (kr.name == main) return kr;
    ADD_FAILURE() << "no simulated kernel " << main;
    return {};
}

// Registers the estimate may differ from ptxas by, per thread. ptxas, allowed 255 registers by
// __launch_bounds__(threads), spends spare ones on loading operands early, so what it allocates
// varies beyond what the tile decides: the same per-warp tile (flash2 forward, head_dim 64, one
// 16-row tile per warp, block_n 128) takes 169 registers with 4 warps and 224 with 8; flash1
// forward (head_dim 128, 64x64, 4 warps) takes 242 for sm_80 and 168 for sm_90. A tile-only
// estimate cannot come closer than half such a spread for every kernel; 64 registers bounds the
// error over the full set (median 10, largest 61 at its introduction). At 4 warps the occupancy
// steps lie 43-85 registers apart (65536 / 128 threads / CTAs), so the estimate can be one CTA
// per SM off.
constexpr std::int64_t k_register_tolerance = 64;
// Spilled bytes per thread at the register limit: 32 registers.
constexpr std::int64_t k_spill_tolerance_bytes = 128;

TEST(KernelResources, EveryTiledKernelOfTheBuildWasReportedByPtxas) {
    std::size_t count = 0;
    for (const auto& k : ptxas_kernels()) count += tiled(k.function).has_value();
    EXPECT_GE(count, 6U) << "the ci set builds flash1/flash2 forward and flash2 backward";
}

TEST(KernelResources, RegisterEstimateIsWithinToleranceOfPtxas) {
    std::printf("%-58s %5s %6s %6s %12s %12s\n", "kernel", "arch", "ptxas", "model", "ptxas spill",
                "model spill");
    std::vector<double> errors;
    for (const auto& p : ptxas_kernels()) {
        const auto k = tiled(p.function);
        if (!k) continue;
        const auto s = simulated(*k);
        const auto begin = p.function.find("detail::") + 8;
        const std::string label = p.function.substr(begin, p.function.find('(') - begin);
        std::printf("%-58s %5s %6lld %6lld %12lld %12lld\n", label.c_str(), p.arch.c_str(),
                    (long long)p.registers, (long long)s.registers_per_thread,
                    (long long)p.spill_bytes, (long long)s.spill_bytes_per_thread);
        errors.push_back(std::abs(double(s.registers_per_thread - p.registers)));
        EXPECT_LE(errors.back(), double(k_register_tolerance)) << label << " " << p.arch;
        // The estimate is past the limit only where ptxas is at it. How much spills there is the
        // compiler's choice (it may rematerialise addresses rather than store them: flash2's
        // backward at d = 128, 64x64x4, ptxas 255 registers and no spill, the model 100 B), so
        // the amounts need only agree within a tolerance.
        if (s.spill_bytes_per_thread > 0) {
            EXPECT_EQ(p.registers, 255) << label << " " << p.arch;
            EXPECT_LE(std::abs(double(s.spill_bytes_per_thread - p.spill_bytes)),
                      double(k_spill_tolerance_bytes))
                << label << " " << p.arch;
        }
    }
    ASSERT_FALSE(errors.empty());
    std::sort(errors.begin(), errors.end());
    std::printf("%zu kernels: |model - ptxas| median %.0f, max %.0f registers\n", errors.size(),
                errors[errors.size() / 2], errors.back());
}

// The row-wise kernels: the simulated kernel each one is, on a problem that launches it.
struct RowKernel {
    const char* function;  // the kernel template's name in the entry function
    Algorithm algorithm;
    Pass pass;
    bool gqa;
    const char* simulated;
};
constexpr RowKernel k_row_kernels[] = {
    {"preprocess_kernel<", Algorithm::flash2, Pass::bwd, false, "flash2_bwd_preprocess"},
    {"convert_dq_kernel<", Algorithm::flash2, Pass::bwd, false, "flash2_bwd_convert_dq"},
    {"dkv_reduce_kernel<", Algorithm::flash2, Pass::bwd, true, "flash2_bwd_dkv_reduce"},
    {"softmax_registers_kernel<", Algorithm::naive, Pass::fwd, false, "naive_softmax"},
    {"softmax_looped_kernel<", Algorithm::naive, Pass::fwd, false, "naive_softmax"},
    {"softmax_bwd_kernel<", Algorithm::naive, Pass::bwd, false, "naive_softmax_bwd"},
};
// Kernels with no simulated counterpart: they fill the inputs of tests and benchmarks, or their
// algorithm has no simulator schedule yet (flash3: issue 11's simulator half).
constexpr const char* k_unsimulated[] = {"fill_nan_kernel<", "fill_uniform_kernel<",
                                         "flash3_fwd_kernel<", "flash3_bwd_kernel<"};

std::int64_t simulated_registers(const RowKernel& k) {
    sim::SimulationRequest request;
    request.gpu = sim::gpu_preset("h100-sxm5");
    request.problem.batch = 1;
    request.problem.heads = 4;
    request.problem.kv_heads = k.gqa ? 2 : 4;
    request.problem.seq_q = request.problem.seq_k = 1024;
    request.problem.head_dim = 64;
    request.problem.pass = k.pass;
    request.algorithm = k.algorithm;
    request.model = sim::Model::analytic;
    for (const auto& kr : sim::simulate(request).kernels)
        if (kr.name == k.simulated) return kr.registers_per_thread;
    ADD_FAILURE() << "no simulated kernel " << k.simulated;
    return 0;
}

TEST(KernelResources, EveryOtherKernelIsARowKernelWithinToleranceOrAnInputFiller) {
    std::size_t rows = 0;
    for (const auto& p : ptxas_kernels()) {
        if (tiled(p.function)) continue;
        const auto has = [&](const char* name) {
            return p.function.find(name) != std::string::npos;
        };
        if (std::any_of(std::begin(k_unsimulated), std::end(k_unsimulated), has)) continue;
        const auto* row = std::find_if(std::begin(k_row_kernels), std::end(k_row_kernels),
                                       [&](const RowKernel& k) { return has(k.function); });
        if (row == std::end(k_row_kernels)) {
            ADD_FAILURE() << p.function << ": no simulated counterpart known to this test";
            continue;
        }
        ++rows;
        const std::int64_t model = simulated_registers(*row);
        std::printf("%-58s %5s %6lld %6lld\n", row->simulated, p.arch.c_str(),
                    (long long)p.registers, (long long)model);
        EXPECT_LE(std::abs(double(model - p.registers)), double(k_register_tolerance))
            << p.function << " " << p.arch;
        EXPECT_EQ(p.spill_bytes, 0) << p.function;
    }
    EXPECT_GE(rows, 3U) << "flash2's backward row kernels are in every kernel set";
}

}  // namespace
}  // namespace flashscope::test
