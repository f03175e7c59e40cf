#include "flashscope/ceilings/calibration.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <utility>
#include <vector>

#include "flashscope/ceilings/latency_split.hpp"
#include "flashscope/ceilings/microbenchmarks.hpp"

namespace flashscope::ceilings {

namespace {

constexpr double k_mib = 1024.0 * 1024.0, k_gib = k_mib * 1024.0;

// Measured values keep the digits a microbenchmark can vouch for.
double significant(double v, int digits) {
    if (v == 0 || !std::isfinite(v)) return v;
    const double scale = std::pow(10.0, digits - 1 - int(std::floor(std::log10(std::abs(v)))));
    return std::round(v * scale) / scale;
}

double decimals(double v, int places) {
    const double scale = std::pow(10.0, places);
    return std::round(v * scale) / scale;
}

std::string fixed(double v, int places) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", places, v);
    return text;
}

// One line on an overlap benchmark: each part alone, both at once (and each part's own time
// then), and the share of the shorter part hidden.
std::string overlap_text(const std::string& tensor, const std::string& other,
                         const PipeOverlap& o) {
    const auto cycles = [](double v) { return number_text(std::round(v)); };
    return tensor + " alone " + cycles(o.tensor_alone) + " cycles, " + other + " alone " +
           cycles(o.other_alone) + ", both at once " + cycles(o.together) + " (" +
           tensor.substr(0, tensor.find(' ')) + " " + cycles(o.tensor_together) + ", " +
           other.substr(0, other.find(' ')) + " " + cycles(o.other_together) +
           "): " + number_text(decimals(o.hidden_share(), 2)) +
           " of the shorter part hidden under the longer (1: independent pipes)";
}

class Calibrator {
public:
    Calibrator(const CalibrationOptions& options, const Progress& progress)
        : m_options(options), m_progress(progress) {}

    PresetText run();

private:
    // Runs one benchmark, reports it, and returns its value.
    template <class F>
    double step(const std::string& what, const std::string& unit, F&& measure) {
        const auto t0 = std::chrono::steady_clock::now();
        const double v = measure();
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        ++m_done;
        if (m_progress)
            m_progress("[" + std::to_string(m_done) + "/" + std::to_string(k_steps) + "] " + what +
                       ": " + number_text(significant(v, 4)) + " " + unit + " (" + fixed(s, 1) +
                       " s)");
        return v;
    }
    void measured(const std::string& key, double value, const std::string& how) {
        m_preset.values[key] = {value, "[M] measured by flashscope calibrate on " + m_device.name +
                                           ", " + m_date + ": " + how};
    }
    void attribute(const std::string& key, double value, const std::string& attribute_name) {
        measured(key, value, attribute_name + " (device attribute)");
    }
    void datasheet(const std::string& key, double value, const std::string& source) {
        m_preset.values[key] = {value, source};
    }
    void note(const std::string& line) { m_preset.notes.push_back("  " + line); }

    void device_attributes();
    void pipes();
    void latencies();
    void memory();

    static constexpr int k_steps = 97;  // the step() calls of a Hopper run
    const CalibrationOptions& m_options;
    const Progress& m_progress;
    PresetText m_preset;
    DeviceFacts m_device;
    std::string m_date;
    int m_done = 0;
    double m_clock_hz = 0;
};

void Calibrator::device_attributes() {
    const DeviceFacts& d = m_device;
    attribute("sm_count", d.sm_count, "cudaDevAttrMultiProcessorCount");
    attribute("registers_per_sm", d.registers_per_sm, "cudaDevAttrMaxRegistersPerMultiprocessor");
    datasheet("max_registers_per_thread", 255, "[CG] 255 for every compute capability >= 5.0");
    attribute("max_threads_per_sm", d.max_threads_per_sm, "cudaDevAttrMaxThreadsPerMultiProcessor");
    attribute("max_threads_per_cta", d.max_threads_per_cta, "cudaDevAttrMaxThreadsPerBlock");
    attribute("max_ctas_per_sm", d.max_ctas_per_sm, "cudaDevAttrMaxBlocksPerMultiprocessor");
    attribute("sram_per_sm_kib", double(d.sram_per_sm_bytes) / 1024,
              "cudaDevAttrMaxSharedMemoryPerMultiprocessor");
    attribute("sram_per_block_kib", double(d.sram_per_block_optin_bytes) / 1024,
              "cudaDevAttrMaxSharedMemoryPerBlockOptin");
    attribute("l2_size_mib", double(d.l2_bytes) / k_mib, "cudaDevAttrL2CacheSize");
    datasheet("l2_line_bytes", 128, "[CG] cache line; 4 sectors");
    datasheet("l2_sector_bytes", 32, "[CG]");
    attribute("hbm_size_gib", decimals(double(d.global_bytes) / k_gib, 2),
              "cudaDeviceProp::totalGlobalMem, what the driver leaves usable");
    datasheet("smsp_per_sm", 4,
              "[WP] four processing blocks (sub-partitions) per SM since Volta; each has one "
              "warp scheduler");
    m_preset.values["l2_dirty_limit_mib"] = m_options.l2_dirty_limit_mib;
}

void Calibrator::pipes() {
    const int runs = m_options.runs;
    m_clock_hz = step("SM clock under an mma.sync load", "MHz",
                      [&] { return sm_clock_hz_under_load(runs) / 1e6; }) *
                 1e6;
    measured("sm_clock_mhz", std::round(m_clock_hz / 1e6),
             "clock64 cycles / CUDA-event time, mma.sync on every SM (cudaDevAttrClockRate: " +
                 std::to_string(m_device.clock_attribute_mhz) + " MHz)");
    double best_bf16 = 0, one_warp_bf16 = 0;
    int best_warps = 4;
    for (const int warps : {4, 8, 16}) {
        const double v =
            step("mma.sync m16n8k16 bf16, " + std::to_string(warps) + " warps", "flop/clk/SM",
                 [&] { return mma_sync_flops_per_clk(MmaType::bf16, warps, runs); });
        note("mma.sync m16n8k16 bf16 with " + std::to_string(warps) +
             " warps x 8 chains per SM: " + number_text(significant(v, 4)) + " flop/clk/SM");
        if (warps == 4) one_warp_bf16 = v;
        if (v > best_bf16) {
            best_bf16 = v;
            best_warps = warps;
        }
    }
    const std::string at_best = std::to_string(best_warps) + " warps";
    // One warp per sub-partition cannot keep the tensor pipe busy: its own mma.sync issue rate.
    measured("mma_one_warp_flops_per_clk_per_sm", significant(one_warp_bf16, 4),
             "bf16 m16n8k16 mma.sync, 8 independent chains per warp, one warp per sub-partition "
             "(4 per SM)");
    const std::string mma_how =
        "m16n8k16 mma.sync, f32 accumulate, 8 independent chains per "
        "warp, the best of 4, 8 and 16 warps per SM";
    measured("tensor_flops_per_clk_per_sm.bf16", significant(best_bf16, 4), "bf16 " + mma_how);
    // fp16 and tf32 at the warp count where bf16 ran fastest.
    const double fp16 = step("mma.sync m16n8k16 fp16, " + at_best, "flop/clk/SM", [&] {
        return mma_sync_flops_per_clk(MmaType::fp16, best_warps, runs);
    });
    measured("tensor_flops_per_clk_per_sm.fp16", significant(fp16, 4),
             "fp16 m16n8k16 mma.sync, f32 accumulate, 8 chains x " + at_best +
                 " per SM (bf16's "
                 "best)");
    const double tf32 = step("mma.sync m16n8k8 tf32, " + at_best, "flop/clk/SM", [&] {
        return mma_sync_flops_per_clk(MmaType::tf32, best_warps, runs);
    });
    measured("tensor_flops_per_clk_per_sm.fp32", significant(tf32, 4),
             "tf32 m16n8k8 mma.sync, 8 chains x " + at_best + " per SM (bf16's best)");
    const double ffma = step("FFMA rate", "flop/clk/SM", [&] { return ffma_flops_per_clk(runs); });
    measured("fp32_flops_per_clk_per_sm", significant(ffma, 4),
             "independent FFMA chains, 16 per thread, 16 warps per SM, 2 flops each");
    const double mufu = step("MUFU ex2 rate", "/clk/SM", [&] { return mufu_ex2_per_clk(runs); });
    measured("sfu_ops_per_clk_per_sm", significant(mufu, 4),
             "ex2.approx.ftz.f32, 8 independent chains per thread, 16 warps per SM");
    // The same question for mma.sync (flash1/flash2): does FFMA or ex2 work hold it back?
    const std::pair<BesideOp, const char*> beside_mma[] = {{BesideOp::ex2, "ex2"},
                                                           {BesideOp::ffma, "FFMA"}};
    for (const auto& [op, other] : beside_mma) {
        PipeOverlap o;
        step(std::string("mma.sync beside ") + other + " on the same SM", "hidden", [&] {
            o = mma_sync_overlap(op, runs);
            return o.hidden_share();
        });
        note(overlap_text("mma.sync m16n8k16 bf16 (4 warps, 8 chains)",
                          std::string(other) + " (4 other warps, 8 independent chains)", o));
        if (op == BesideOp::ffma)
            measured("mma_fma_hidden_share", std::clamp(decimals(o.hidden_share(), 2), 0.0, 1.0),
                     "four warps of m16n8k16 bf16 mma.sync chains and four other warps of "
                     "independent FFMA chains on one SM: the share of the FFMA part's time that "
                     "ran hidden under the mma.sync part (1: independent pipes)");
    }
    const double mix = step("issue rate, 2 FFMA : 1 LOP3", "warp inst/clk/SMSP",
                            [&] { return issue_per_clk_per_smsp(4, runs); });
    note("independent FFMA and LOP3 interleaved 2:1, 16 warps per SM: " +
         number_text(significant(mix, 3)) +
         " warp instructions per clock per sub-partition (below FFMA alone; the three-register "
         "LOP3s may meet register-bank conflicts, not analysed)");
    // FFMA alone fills the issue slot on cards with 32 FP32 lanes per sub-partition (one warp
    // instruction per clock); the loop's own instructions (about 2 %) are not counted.
    const double ffma_issue = ffma / 2 / 32 / 4;
    measured("issue_per_clk_per_smsp", significant(std::max(mix, ffma_issue), 3),
             "warp instructions per clock per sub-partition, the better of independent FFMA "
             "alone (" +
                 number_text(significant(ffma_issue, 3)) + ") and FFMA and LOP3 interleaved 2:1 (" +
                 number_text(significant(mix, 3)) +
                 "), 16 warps per SM; the loop's own instructions not counted");
    const double alu = step("ALU LOP3 rate", "/clk/SM", [&] { return alu_lop3_per_clk(runs); });
    measured("alu_ops_per_clk_per_sm", significant(alu, 4),
             "LOP3 (xor3/majority), 4 independent chains per thread, 16 warps per SM");
    const double cvt =
        step("F32->BF16x2 pack rate", "/clk/SM", [&] { return cvt_bf16x2_per_clk(runs); });
    measured("cvt_ops_per_clk_per_sm", significant(cvt, 4),
             "cvt.rn.bf16x2.f32 (one packed pair per thread result), 8 chains per thread, 16 "
             "warps per SM");
    const double shfl = step("shfl.sync rate", "/clk/SM", [&] { return shfl_per_clk(runs); });
    measured("shfl_ops_per_clk_per_sm", significant(shfl, 4),
             "shfl.sync.bfly.b32, 8 chains per thread, 16 warps per SM");
    // wgmma (Hopper, sm_90a): the flash3 schedule's tensor instruction. Other cards have none,
    // which the preset says with 0 (flash3 then refuses the GPU).
    const std::string no_wgmma = "[WP] no wgmma: warpgroup MMA arrived with Hopper (sm_90a)";
    if (m_device.cc_major == 9) {
        try {
            const double wgmma = step("wgmma m64n128k16 bf16, 2 warpgroups", "flop/clk/SM",
                                      [&] { return wgmma_flops_per_clk(runs); });
            measured("wgmma_flops_per_clk_per_sm", significant(wgmma, 4),
                     "wgmma m64n128k16 bf16 (A in registers, B in shared memory), chains of 8, "
                     "two warpgroups per SM");
            const double clock = step("SM clock under a wgmma load", "MHz",
                                      [&] { return sm_clock_hz_under_wgmma(runs) / 1e6; });
            note("SM clock under the wgmma benchmark on every SM: " +
                 number_text(std::round(clock)) +
                 " MHz (sm_clock_mhz is the clock under mma.sync; "
                 "flash3's times use it, docs/VALIDATION.md)");
            const double random_clock =
                step("SM clock under a wgmma load, random operands", "MHz",
                     [&] { return sm_clock_hz_under_wgmma(runs, true) / 1e6; });
            note("SM clock under the wgmma benchmark on every SM with random bf16 operands: " +
                 number_text(std::round(random_clock)) + " MHz");
            const double ss = step("wgmma m64n128k16 bf16, A from shared memory", "flop/clk/SM",
                                   [&] { return wgmma_ss_flops_per_clk(runs); });
            note(
                "wgmma m64n128k16 bf16 with A from shared memory too (SS), chains of 8, two "
                "warpgroups per SM: " +
                number_text(significant(ss, 4)) + " flop/clk/SM");
            const std::pair<BesideOp, const char*> beside[] = {{BesideOp::ex2, "ex2"},
                                                               {BesideOp::ffma, "FFMA"},
                                                               {BesideOp::fadd, "FADD"},
                                                               {BesideOp::lop3, "LOP3"}};
            for (const auto& [op, other] : beside) {
                PipeOverlap o;
                step(std::string("wgmma beside ") + other + " on the same SM", "hidden", [&] {
                    o = wgmma_overlap(op, runs);
                    return o.hidden_share();
                });
                note(overlap_text(
                    "wgmma (2 warpgroups, chains of 8)",
                    std::string(other) + " (2 other warpgroups, 8 independent chains)", o));
                const auto rate_share = [&](const char* key) {
                    measured(key,
                             std::clamp(decimals(o.other_alone / o.other_together, 2), 0.01, 1.0),
                             std::string("two warpgroups of independent ") + other +
                                 " chains beside two warpgroups of wgmma m64n128k16 chains on "
                                 "one SM: their rate as a share of their rate alone");
                };
                if (op == BesideOp::ffma) rate_share("wgmma_fma_rate_share");
                if (op == BesideOp::ex2) rate_share("wgmma_mufu_rate_share");
                if (op == BesideOp::lop3) rate_share("wgmma_alu_rate_share");
                if (op == BesideOp::ffma)
                    measured("wgmma_fma_hidden_share",
                             std::clamp(decimals(o.hidden_share(), 2), 0.0, 1.0),
                             "two warpgroups of wgmma m64n128k16 chains and two other warpgroups "
                             "of independent FFMA chains on one SM: the share of the FFMA "
                             "part's time that ran hidden under the wgmma part (1: independent "
                             "pipes)");
            }
            PipeOverlap o;
            step("wgmma and ex2 interleaved in the same warps", "hidden", [&] {
                o = wgmma_interleaved_with_ex2(runs);
                return o.hidden_share();
            });
            note(
                "2 warpgroups each issuing a chain of 8 wgmma, then 32 ex2 per thread while it "
                "runs, then waiting: wgmma alone " +
                number_text(std::round(o.tensor_alone)) + " cycles, ex2 alone " +
                number_text(std::round(o.other_alone)) + ", both " +
                number_text(std::round(o.together)) + ": " +
                number_text(decimals(o.hidden_share(), 2)) + " of the shorter part hidden");
        } catch (const std::exception& e) {
            datasheet("wgmma_flops_per_clk_per_sm", 0,
                      std::string("wgmma not measured: ") + e.what());
            datasheet("wgmma_fma_hidden_share", 0, "wgmma not measured (above)");
            datasheet("wgmma_fma_rate_share", 1, "wgmma not measured (above)");
            datasheet("wgmma_mufu_rate_share", 1, "wgmma not measured (above)");
            datasheet("wgmma_alu_rate_share", 1, "wgmma not measured (above)");
        }
    } else {
        m_done += 9;
        datasheet("wgmma_flops_per_clk_per_sm", 0, no_wgmma);
        datasheet("wgmma_fma_hidden_share", 0, no_wgmma);
        datasheet("wgmma_fma_rate_share", 1, no_wgmma);
        datasheet("wgmma_mufu_rate_share", 1, no_wgmma);
        datasheet("wgmma_alu_rate_share", 1, no_wgmma);
    }
    const double ldsm =
        step("ldmatrix.x4 bandwidth", "B/clk/SM", [&] { return ldmatrix_bytes_per_clk(runs); });
    measured("sram_bytes_per_clk_per_sm", significant(ldsm, 4),
             "ldmatrix.x4 without bank conflicts, 4 independent loads per warp, 16 warps per SM");
    const double lds =
        step("ld.shared.v4 bandwidth", "B/clk/SM", [&] { return lds128_bytes_per_clk(runs); });
    note("ld.shared.v4.u32 (LDS.128) without bank conflicts: " + number_text(significant(lds, 4)) +
         " B/clk/SM");
}

void Calibrator::latencies() {
    const int runs = m_options.runs;
    const auto latency = [&](const std::string& key, const std::string& what, auto measure,
                             const std::string& how) {
        const double v = step(what, "cycles", measure);
        measured(key, decimals(v, 1), how);
    };
    const std::string chain = ", one warp, cycles per instruction of a dependent chain";
    latency(
        "fp32_latency_cycles", "FFMA latency", [&] { return ffma_latency(runs); }, "FFMA" + chain);
    latency(
        "mufu_latency_cycles", "MUFU ex2 latency", [&] { return mufu_ex2_latency(runs); },
        "ex2.approx.ftz.f32" + chain);
    latency(
        "mma_latency_cycles", "mma.sync latency", [&] { return mma_sync_latency(runs); },
        "m16n8k16 bf16 mma.sync on one accumulator" + chain);
    const double alu = step("LOP3 latency", "cycles", [&] { return alu_lop3_latency(runs); });
    note("LOP3 dependent-issue latency: " + number_text(decimals(alu, 1)) + " cycles");
    latency(
        "ldmatrix_latency_cycles", "ldmatrix.x4 load-to-use",
        [&] { return ldmatrix_latency(runs); },
        "ldmatrix.x4 whose result (0) is added to the next one's address, one warp, cycles "
        "per hop less the LOP3 latency (the add)");
    latency(
        "shfl_latency_cycles", "shfl.sync latency", [&] { return shfl_latency(runs); },
        "shfl.sync.bfly.b32" + chain);
    latency(
        "barrier_cycles", "__syncthreads, 4 warps", [&] { return barrier_cycles(4, runs); },
        "back-to-back bar.sync of a 4-warp CTA, every warp arriving together, cycles each");
    if (m_preset.values.at("wgmma_flops_per_clk_per_sm").value > 0) {
        latency(
            "wgmma_latency_cycles", "wgmma m64n128k16 latency", [&] { return wgmma_latency(runs); },
            "wgmma m64n128k16 bf16 (A in registers, B in shared memory), one warpgroup, each "
            "committed and waited for (wait_group 0) before the next, cycles per wgmma");
        // FlashAttention-3's consumers wait on the producer's pipeline barriers every block.
        latency(
            "mbarrier_wait_cycles", "mbarrier try_wait, phase complete",
            [&] { return mbarrier_wait_latency(runs); },
            "mbarrier.try_wait.parity on a barrier whose phase has completed, one warp, each "
            "waited for (the branch on its result) before the next, cycles per wait");
    } else {
        m_done += 2;
        datasheet("wgmma_latency_cycles", 0, "[WP] no wgmma (above)");
        datasheet("mbarrier_wait_cycles", 0,
                  "[WP] no wgmma (above): the flash3 schedule that waits on them does not run");
    }
}

void Calibrator::memory() {
    const int runs = m_options.runs;
    const double launch =
        step("empty kernel", "us", [&] { return kernel_launch_seconds(4 * runs + 1) * 1e6; });
    measured(
        "kernel_launch_us", decimals(launch, 2),
        "CUDA-event time of an empty kernel (one CTA of 128 threads per SM) queued behind a "
        "stream hold (the host's launch call not timed, as validate times kernels), median of " +
            std::to_string(4 * runs + 1));
    // CTAs started and retired per SM: empty kernels of many 256-thread CTAs, less the one-wave
    // kernel above (row kernels such as convert_dq run tens of thousands of tiny CTAs).
    double cta_ns = 0;
    for (const int per_sm : {16, 64, 256}) {
        const int ctas = per_sm * m_device.sm_count;
        const double seconds = step("empty kernel, " + std::to_string(per_sm) + " CTAs per SM",
                                    "us", [&] { return empty_ctas_seconds(ctas, 256, 5) * 1e6; });
        cta_ns = (seconds - launch) * 1e3 / per_sm;
        note("empty kernel of " + std::to_string(ctas) + " CTAs of 256 threads: " +
             fixed(seconds, 1) + " us, " + fixed(cta_ns, 1) + " ns per CTA per SM past the launch");
    }
    // The most CTAs per SM: the launch's own cost is spread thinnest there.
    measured("cta_launch_ns", decimals(std::max(0.0, cta_ns), 1),
             "an empty kernel of 256 CTAs of 256 threads per SM less the one-wave empty kernel "
             "above, per CTA per SM, each queued behind a stream hold");
    // A chase that fits L2 (half of it) with hops of 256 B: a new line per load.
    const std::int64_t l2_bytes = std::max<std::int64_t>(m_device.l2_bytes, 4 << 20);
    const std::int64_t l2_chase = std::min<std::int64_t>(8 << 20, l2_bytes / 2);
    const double l2_lat = step("L2 latency", "cycles",
                               [&] { return chase_cycles(l2_chase, 200000, std::min(runs, 3)); });
    measured("l2_latency_cycles", std::round(l2_lat),
             "pointer chase with ld.global.cg in " + number_text(double(l2_chase) / k_mib) +
                 " MiB, 256 B hops, one thread");
    // A returning atomic (flash2 backward's float2 dQ reduction on sm_90) holds its registers
    // until the L2 answers; before sm_90 the kernels' atomics are RED and do not return.
    if (m_device.cc_major >= 9) {
        const double atomic_lat = step("L2 atomic round trip", "cycles", [&] {
            return atomic_chase_cycles(l2_chase, 20000, std::min(runs, 3));
        });
        measured("l2_atomic_latency_cycles", decimals(atomic_lat, 1),
                 "a chase of atomicAdd(float2) (ATOMG.E.ADD.F32x2) in " +
                     number_text(double(l2_chase) / k_mib) +
                     " MiB, 256 B hops, one thread: a returning atomic's round trip");
    } else {
        ++m_done;
        datasheet("l2_atomic_latency_cycles", 0,
                  "[WP] no float2 atomicAdd before sm_90: the kernels' scalar atomicAdd of an "
                  "unused result compiles to RED, which does not return");
    }
    // Four times the L2 in hops: a run finds none of its lines left in L2 by the one before.
    const std::int64_t hbm_chase =
        std::min<std::int64_t>(std::int64_t(2) << 30, m_device.global_bytes / 8);
    const std::int64_t hbm_steps =
        std::min<std::int64_t>(hbm_chase / 256, std::max<std::int64_t>(100000, 4 * l2_bytes / 256));
    const double hbm_cycles = step("HBM latency", "cycles", [&] {
        return chase_cycles(hbm_chase, hbm_steps, std::min(runs, 3));
    });
    measured("hbm_latency_ns", std::round(hbm_cycles / m_clock_hz * 1e9),
             "pointer chase with ld.global.cg in " + number_text(double(hbm_chase) / k_gib) +
                 " GiB, 256 B hops (" + std::to_string(hbm_steps) +
                 " of them, 4x the L2's lines; TLB misses included), one thread (" +
                 number_text(std::round(hbm_cycles)) + " cycles at the clock above)");
    const std::int64_t l2_read = std::min<std::int64_t>(16 << 20, l2_bytes / 3);
    const double l2_bw = step("L2 read bandwidth", "GB/s",
                              [&] { return read_bytes_per_second(l2_read, 200, runs) / 1e9; });
    measured("l2_bytes_per_clk", std::round(l2_bw * 1e9 / m_clock_hz),
             number_text(double(l2_read) / k_mib) + " MiB read 200 times with ld.global.cg, " +
                 "8 CTAs of 256 threads per SM (" + fixed(l2_bw / 1e3, 2) + " TB/s)");
    // One pass at two sizes, not one buffer rewritten: rewritten 200 times in one kernel, 16 MiB
    // took stores at 3.98 TB/s on the H200 (T2140) against 4.44 a pass (T2145), and a kernel such
    // as preprocess or a GEMM's epilogue stores its bytes once.
    const std::int64_t l2_store_small = l2_read / 2, l2_store_large = 2 * l2_read;
    const double l2_write_bw = step("L2 write bandwidth", "GB/s", [&] {
        return l2_store_pass_bytes_per_second(l2_store_small, l2_store_large, runs) / 1e9;
    });
    measured("l2_write_bytes_per_clk", std::round(l2_write_bw * 1e9 / m_clock_hz),
             "one pass of st.global.cg over " + number_text(double(l2_store_small) / k_mib) +
                 " and over " + number_text(double(l2_store_large) / k_mib) +
                 " MiB (L2-resident), 8 CTAs of 256 threads per SM, each launch held: the bytes " +
                 "between them over the time between them (" + fixed(l2_write_bw / 1e3, 2) +
                 " TB/s)");
    // How much of the L2 a kernel's data can use between passes: a buffer read (or updated in
    // place) 10 times by every SM, grid-stride (each 16 B always by the same SM), at sizes up to
    // past the L2's; above what stays resident the rate falls to HBM's. The key: the largest
    // size still read at >= 90 % of the best rate.
    struct Residency {
        std::int64_t mib;
        double read, update;  // GB/s
    };
    std::vector<Residency> residency;
    const std::int64_t l2_mib = l2_bytes >> 20;
    for (std::int64_t mib = std::max<std::int64_t>(4, l2_mib / 4); mib <= l2_mib + l2_mib / 3;
         mib += std::max<std::int64_t>(1, l2_mib / 15)) {
        const std::int64_t bytes = mib << 20;
        const std::string size = std::to_string(mib) + " MiB";
        const double read = step("L2 residency: " + size + " read 10 times", "GB/s",
                                 [&] { return read_bytes_per_second(bytes, 10, 3) / 1e9; });
        const double update = step("L2 residency: " + size + " updated 10 times", "GB/s",
                                   [&] { return update_bytes_per_second(bytes, 10, 3) / 1e9; });
        note("L2 residency, " + size + ", 8 CTAs of 256 threads per SM: read " + fixed(read, 0) +
             " GB/s, updated in place " + fixed(update, 0) + " GB/s (read + written)");
        residency.push_back({mib, read, update});
    }
    // The largest size whose rate is >= 90 % of the sweep's best.
    const auto knee = [&](double Residency::*rate) {
        double best = 0;
        for (const Residency& r : residency) best = std::max(best, r.*rate);
        std::int64_t last = 0;
        for (const Residency& r : residency)
            if (r.*rate >= 0.9 * best) last = r.mib;
        return std::pair{double(last), best};
    };
    const auto [resident, best_read] = knee(&Residency::read);
    measured("l2_resident_mib", resident,
             "the largest buffer that 10 passes read at >= 90 % of the best rate (" +
                 fixed(best_read / 1e3, 1) +
                 " TB/s; ld.global.cg, 8 CTAs of 256 threads per SM, each 16 B always by the "
                 "same SM; the sweep's rates are the notes below)");
    const auto [updated, best_update] = knee(&Residency::update);
    measured("l2_resident_updated_mib", std::min(updated, resident),
             "the same for a buffer updated in place (ld.global.cg + st.global.cg of each 16 B, " +
                 fixed(best_update / 1e3, 1) + " TB/s read + written at best)");
    // One SM's port to the L2: a quarter of the SMs, one CTA each, so that the chip's L2 bandwidth
    // (above) is not what limits them (FlashAttention-1 runs one CTA per head on as few SMs).
    const int quarter = std::max(1, m_device.sm_count / 4);
    const std::int64_t port_bytes = std::min<std::int64_t>(8 << 20, l2_bytes / 4);
    const auto port = [&](int ctas, int mode, int access) {
        return sm_port_bytes_per_clk(ctas, mode, access, port_bytes, 20, runs);
    };
    const std::string port_how = "one CTA of 1024 threads on each of " + std::to_string(quarter) +
                                 " SMs, " + number_text(double(port_bytes) / k_mib) +
                                 " MiB (L2-resident) 20 times, clock64 per CTA";
    // The keys: an mma.sync accumulator's layout (8 rows x 32 B a warp instruction), the access
    // pattern of the global loads, stores and reductions the schedules' mixes count.
    const auto fragments = [&](int mode) {
        return sm_fragment_bytes_per_clk(quarter, mode, port_bytes, 20, runs);
    };
    const std::string fragment_how =
        " of float2 in an mma.sync accumulator's layout (8 rows x 32 B a warp instruction), " +
        port_how;
    const double frag_read =
        step("L2 reads into one SM, fragments", "B/clk/SM", [&] { return fragments(0); });
    measured("l2_sm_read_bytes_per_clk", decimals(frag_read, 1), "ld.global.cg" + fragment_how);
    const double frag_write =
        step("L2 writes from one SM, fragments", "B/clk/SM", [&] { return fragments(1); });
    measured("l2_sm_write_bytes_per_clk", decimals(frag_write, 1), "st.global.cg" + fragment_how);
    const double warp_load = step("One warp's fragment loads, queued", "cycles",
                                  [&] { return warp_fragment_load_cycles(quarter, runs); });
    measured("l2_warp_load_cycles", decimals(warp_load, 1),
             "clock64 between one warp's successive ld.global.cg of float2 in an mma.sync "
             "accumulator's layout, bursts of 48 against bursts of 4 loaded without waiting, one "
             "warp per sub-partition (a CTA of 128 threads) on each of " +
                 std::to_string(quarter) + " SMs, 8 MiB (L2-resident)");
    const double frag_reduce =
        step("L2 reductions from one SM, fragments", "B/clk/SM", [&] { return fragments(2); });
    measured("l2_sm_reduce_bytes_per_clk", decimals(frag_reduce, 1),
             "atomicAdd (red.global.add.v2.f32)" + fragment_how);
    if (m_preset.values.at("wgmma_flops_per_clk_per_sm").value > 0) {
        const double bulk = step("TMA bulk reduce-add from one SM", "B/clk/SM",
                                 [&] { return bulk_reduce_bytes_per_clk(quarter, false, runs); });
        measured("l2_sm_bulk_reduce_bytes_per_clk", decimals(bulk, 1),
                 "cp.reduce.async.bulk .add.f32 of 32 KiB blocks from shared memory (TMA), one "
                 "thread of one CTA on each of " +
                     std::to_string(quarter) + " SMs, 256 blocks into 8 MiB (L2-resident)");
        const double bulk_each = step("TMA bulk reduce-add, each waited for", "B/clk/SM", [&] {
            return bulk_reduce_bytes_per_clk(quarter, true, runs);
        });
        const double bulk_all = step("TMA bulk reduce-add from every SM", "B/clk/SM", [&] {
            return bulk_reduce_bytes_per_clk(m_device.sm_count, false, runs);
        });
        note(
            "TMA bulk reduce-add of 32 KiB blocks, each waited for before the next (a single "
            "staging buffer): " +
            number_text(decimals(bulk_each, 1)) + " B/clk per SM, " +
            number_text(std::round(32768 / bulk_each)) + " cycles a block; from every SM at " +
            "once " + number_text(decimals(bulk_all, 1)) + " B/clk per SM, " +
            number_text(std::round(bulk_all * m_device.sm_count)) + " B/clk for the chip");
    } else {
        m_done += 3;
        datasheet("l2_sm_bulk_reduce_bytes_per_clk", 0, "[WP] no TMA before Hopper");
    }
    // Whole lines (16, 8, 4 B per lane, consecutive lanes adjacent), for comparison.
    const double port_read =
        step("L2 reads into one SM, 16 B", "B/clk/SM", [&] { return port(quarter, 0, 16); });
    measured("l2_sm_line_read_bytes_per_clk", decimals(port_read, 1),
             "ld.global.cg of 16 B per lane, whole lines, " + port_how);
    const double port_write =
        step("L2 writes from one SM, 16 B", "B/clk/SM", [&] { return port(quarter, 1, 16); });
    const double port_both =
        step("L2 reads and writes of one SM", "B/clk/SM", [&] { return port(quarter, 2, 16); });
    const double port_alone =
        step("L2 reads into a lone SM", "B/clk/SM", [&] { return port(1, 0, 16); });
    const double read8 =
        step("L2 reads into one SM, 8 B", "B/clk/SM", [&] { return port(quarter, 0, 8); });
    const double read4 =
        step("L2 reads into one SM, 4 B", "B/clk/SM", [&] { return port(quarter, 0, 4); });
    const double write8 =
        step("L2 writes from one SM, 8 B", "B/clk/SM", [&] { return port(quarter, 1, 8); });
    const double both8 =
        step("L2 reads and writes of one SM, 8 B", "B/clk/SM", [&] { return port(quarter, 2, 8); });
    note("One SM's port to the L2 (" + port_how + "), whole lines, 16 B per lane: reads " +
         number_text(decimals(port_read, 1)) + " B/clk, writes " +
         number_text(decimals(port_write, 1)) + " B/clk, both at once " +
         number_text(decimals(port_both, 1)) + " B/clk read plus written; reads of one SM alone " +
         number_text(decimals(port_alone, 1)) + " B/clk. 8 B per lane: reads " +
         number_text(decimals(read8, 1)) + ", writes " + number_text(decimals(write8, 1)) +
         ", both " + number_text(decimals(both8, 1)) + " B/clk; 4 B reads " +
         number_text(decimals(read4, 1)) + " B/clk");
    const std::int64_t hbm_read =
        std::min<std::int64_t>(std::int64_t(4) << 30, m_device.global_bytes / 4);
    const double hbm_bw = step("HBM read bandwidth", "GB/s",
                               [&] { return read_bytes_per_second(hbm_read, 3, runs) / 1e9; });
    measured("hbm_bandwidth_gbps", std::round(hbm_bw),
             number_text(double(hbm_read) / k_gib) + " GiB read 3 times with ld.global.cg");
    // Writes alone drain slower than reads (HBM write turnaround); kernels that stream out as
    // much as they read (dQ conversion, the backward's preprocessing) see both rates.
    const double hbm_write_bw = step("HBM write bandwidth", "GB/s", [&] {
        return write_bytes_per_second(hbm_read, 3, runs) / 1e9;
    });
    measured("hbm_write_bandwidth_gbps", std::round(hbm_write_bw),
             number_text(double(hbm_read) / k_gib) + " GiB written 3 times with st.global.cs");
    // Half reads, half writes: what a mixed stream loses to read/write turnaround.
    const std::int64_t half = hbm_read / 2;
    const double copy_bw = step("HBM copy bandwidth", "GB/s",
                                [&] { return copy_bytes_per_second(half, 3, runs) / 1e9; });
    measured("hbm_copy_bandwidth_gbps", std::round(copy_bw),
             number_text(double(half) / k_gib) +
                 " GiB copied 3 times (ld.global.cs + st.global.cs), bytes read plus written");
    const std::int64_t atomics = std::min<std::int64_t>(16 << 20, l2_bytes / 3);
    const double red = step("L2 red.global.add.f32", "GB/s",
                            [&] { return red_add_f32_bytes_per_second(atomics, 20, runs) / 1e9; });
    measured("l2_atomic_bytes_per_clk", significant(red * 1e9 / m_clock_hz, 4),
             "red.global.add.f32 (atomicAdd, result unused), coalesced over " +
                 number_text(double(atomics) / k_mib) +
                 " MiB of distinct addresses, 20 times, 8 CTAs of 256 threads per SM (" +
                 fixed(red / 1e3, 2) + " TB/s of fp32)");
    const int hops = 4096;
    const std::vector<double> per_hop = [&] {
        std::vector<double> v;
        step("L2 per-line latency", "cycles (median)", [&] {
            v = chase_per_hop_cycles(l2_chase, hops);
            std::vector<double> s = v;
            std::sort(s.begin(), s.end());
            return s[s.size() / 2];
        });
        return v;
    }();
    const LatencySplit split = split_latencies(per_hop);
    note("L2 per-line latency from one SM, " + std::to_string(hops) + " dependent loads over " +
         number_text(double(l2_chase) / k_mib) + " MiB (clock reads included): near " +
         number_text(split.near_median) + " cycles, far " + number_text(split.far_median) +
         " cycles (" + fixed(100 * split.far_fraction, 1) + " % above " +
         number_text(split.threshold) + ")");
    note("  histogram (cycles:loads): " + latency_histogram(per_hop, 20));
}

PresetText Calibrator::run() {
    m_device = device_facts(0);
    m_date = utc_date();
    m_preset.name =
        m_options.name.empty() ? preset_name_from_device(m_device.name) : m_options.name;
    m_preset.description = m_device.name + " (compute capability " +
                           std::to_string(m_device.cc_major) + "." +
                           std::to_string(m_device.cc_minor) + "), calibrated " + m_date;
    m_preset.header = {
        m_device.name + " (compute capability " + std::to_string(m_device.cc_major) + "." +
            std::to_string(m_device.cc_minor) + "), written by `flashscope calibrate`.",
        "Sources: [M]  measured by flashscope calibrate on this card (bench/ceilings), each a "
        "median of " +
            std::to_string(m_options.runs) + " runs;",
        "         [WP] NVIDIA H100 Tensor Core GPU Architecture whitepaper (2022);",
        "         [CG] CUDA C++ Programming Guide, \"Technical Specifications per Compute "
        "Capability\";",
        "         [B]  not measured here: taken from the preset named.",
    };
    if (!m_options.command.empty()) m_preset.header.push_back("Command: " + m_options.command);
    m_preset.notes.push_back("Also measured (not keys of the schema):");
    device_attributes();
    pipes();
    latencies();
    memory();
    return m_preset;
}

}  // namespace

PresetText run_calibration(const CalibrationOptions& options, const Progress& progress) {
    Calibrator c(options, progress);
    return c.run();
}

}  // namespace flashscope::ceilings
