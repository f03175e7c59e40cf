// Properties of the simulator's counts over random problems from the whole accepted input range:
// a problem is either refused with a truthful overflow error or every count is sane, naive
// never needs less memory or HBM traffic than FlashAttention, counts grow with the problem, and
// the cycle model without an L2 moves the analytic model's bytes. Seeded: a failure prints the
// seed (rerun with FLASHSCOPE_PROPERTY_SEED=<seed>) and the command line that reproduces it.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include "flashscope/core/count.hpp"
#include "random_problem.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

std::uint64_t property_seed() {
    const char* env = std::getenv("FLASHSCOPE_PROPERTY_SEED");
    return env != nullptr ? std::strtoull(env, nullptr, 10) : 20240613;
}

// What simulate() did with a request: a result, an overflow refusal, or an infeasible tile.
struct Outcome {
    std::optional<Result> result;
    std::optional<CountOverflow> overflow;
    std::optional<ConfigError> other;
};

Outcome outcome_of(const SimulationRequest& req) {
    Outcome o;
    try {
        o.result = simulate(req);
    } catch (const CountOverflow& e) {
        o.overflow = e;
    } catch (const ConfigError& e) {
        o.other = e;
    }
    return o;
}

// Whether an overflow message tells the truth: its operation, evaluated in floating point, is
// past 2^63 - 1. Operations read "a * b", "a + b", or the problem's product "x*y*z = approx".
bool overflow_is_real(const CountOverflow& e) {
    const long double limit = 9223372036854775807.0L;
    std::istringstream in(e.value());
    if (e.field() == "batch*heads*seq_q*seq_k*elem") {
        long double product = 1;
        std::string factor;
        for (std::string text = e.value().substr(0, e.value().find(' ')); !text.empty();) {
            const auto star = text.find('*');
            factor = text.substr(0, star);
            product *= std::stold(factor);
            text = star == std::string::npos ? "" : text.substr(star + 1);
        }
        return product > limit;
    }
    long double a = 0, b = 0;
    char op = 0;
    if (!(in >> a >> op >> b)) return false;
    if (op == '*') return a * b > limit || a * b < -limit;
    if (op == '+') return a + b > limit || a + b < -limit;
    if (op == '-') return a - b > limit || a - b < -limit;
    return false;
}

// A refusal for the tile, or for a head dim the tensor-core fragments (16 wide) cannot tile.
bool is_tile_error(const ConfigError& e, const AttentionProblem& p) {
    return e.field().rfind("tile", 0) == 0 || e.field() == "warps" ||
           (e.field() == "head_dim" && p.head_dim % 16 != 0);
}

// Elements of Q (and O, dO, dQ) and of K (and V, dK, dV) over all heads.
double q_elems(const AttentionProblem& p) {
    return double(p.batch) * double(p.heads) * double(p.seq_q) * double(p.head_dim);
}
double kv_elems(const AttentionProblem& p) {
    return double(p.batch) * double(p.kv_heads) * double(p.seq_k) * double(p.head_dim);
}

// Every field of a result: non-negative, totals the sum of the kernels, and at least the work
// no schedule can avoid (inputs read once, outputs written once, every visible score computed).
std::string insane_field(const Result& r) {
    const Metrics& t = r.totals;
    const std::int64_t counts[] = {
        t.hbm_read_bytes,  t.hbm_write_bytes,  t.l2_read_bytes,       t.l2_write_bytes,
        t.sram_read_bytes, t.sram_write_bytes, t.hbm_footprint_bytes, r.l2_dirty_at_end_bytes};
    for (std::int64_t c : counts)
        if (c < 0) return "a negative byte count";
    for (double v : {t.flops_matmul, t.flops_softmax, t.time_s, t.cycles})
        if (!(v >= 0) || !std::isfinite(v)) return "a negative or non-finite flop/time field";
    Metrics sum;
    for (const KernelResult& k : r.kernels) {
        const Metrics& m = k.metrics;
        for (std::int64_t c : {m.hbm_read_bytes, m.hbm_write_bytes, m.l2_read_bytes,
                               m.l2_write_bytes, m.sram_read_bytes, m.sram_write_bytes, k.ctas,
                               k.ctas_per_sm, k.sram_per_cta_bytes, k.registers_per_thread})
            if (c < 0) return "kernel " + k.name + ": a negative count";
        if (!(k.occupancy >= 0) || !(k.waves >= 0) || !(m.time_s > 0))
            return "kernel " + k.name + ": occupancy/waves/time";
        sum += m;
    }
    if (sum.hbm_read_bytes != t.hbm_read_bytes || sum.sram_read_bytes != t.sram_read_bytes ||
        sum.l2_write_bytes != t.l2_write_bytes)
        return "totals differ from the sum of the kernels";
    const AttentionProblem& p = r.problem;
    const double e = double(bytes_of(p.dtype));
    // Q rows that see no key (causal, seq_q > seq_k) need not be read.
    const double seen = double(p.causal ? std::min(p.seq_q, p.seq_k) : p.seq_q) / double(p.seq_q);
    const double inputs = (seen * q_elems(p) + 2 * kv_elems(p)) * e;  // Q, K, V
    if (double(t.hbm_read_bytes) < inputs * (1 - 1e-12)) return "hbm_read_bytes below Q + K + V";
    if (double(t.hbm_footprint_bytes) < inputs + q_elems(p) * e)
        return "footprint below Q, K, V, O";
    const double writes = p.pass == Pass::fwd ? q_elems(p) * e : (q_elems(p) + 2 * kv_elems(p)) * e;
    if (double(t.hbm_write_bytes) < writes) return "hbm_write_bytes below the outputs";
    const double pairs =
        double(p.batch * p.heads) * double(visible_pairs(p.seq_q, p.seq_k, p.causal));
    const double per_pair = p.pass == Pass::fwd ? 4 : p.pass == Pass::bwd ? 8 : 12;  // 2 per FMA
    if (t.flops_matmul < per_pair * pairs * double(p.head_dim) * (1 - 1e-12))
        return "flops_matmul below 2 per multiply-add of every visible score";
    return "";
}

// naive's softmax runs one of two kernels (kernels/src/softmax_kernels.cu): the whole row in
// registers when it is whole 8-element (16-bit) vectors of 256 threads, up to 8 each; else a
// looped kernel that computes each exponential twice. A larger problem may run the cheaper one.
bool same_softmax_kernel(const AttentionProblem& a, const AttentionProblem& b) {
    const auto in_registers = [](const AttentionProblem& p) {
        return p.dtype != DType::fp32 && p.seq_k % 8 == 0 && p.seq_k <= 8 * 256 * 8;
    };
    return in_registers(a) == in_registers(b);
}

// Counts that a bigger problem must not shrink. SRAM traffic is left out: naive's softmax stops
// caching a row in SRAM once the row outgrows it (and streams it from HBM twice instead).
std::string shrunk_count(const Metrics& small, const Metrics& big, bool same_softmax) {
    if (big.hbm_read_bytes < small.hbm_read_bytes) return "hbm_read_bytes";
    if (big.hbm_write_bytes < small.hbm_write_bytes) return "hbm_write_bytes";
    if (big.l2_read_bytes < small.l2_read_bytes) return "l2_read_bytes";
    if (big.l2_write_bytes < small.l2_write_bytes) return "l2_write_bytes";
    if (big.hbm_footprint_bytes < small.hbm_footprint_bytes) return "hbm_footprint_bytes";
    if (big.flops_matmul < small.flops_matmul) return "flops_matmul";
    if (same_softmax && big.flops_softmax < small.flops_softmax * (1 - 1e-12))
        return "flops_softmax";
    return "";
}

class Violations {
public:
    explicit Violations(std::uint64_t seed) : m_seed(seed) {}
    // Records a violation (and prints it, the first few) when `problem` is not empty.
    void check(const std::string& problem, const SimulationRequest& req, const char* property) {
        if (problem.empty()) return;
        if (++m_count <= 5)
            ADD_FAILURE() << property << ": " << problem << "\n  seed " << m_seed
                          << " (FLASHSCOPE_PROPERTY_SEED)\n  " << command_line(req);
    }
    int count() const { return m_count; }

private:
    std::uint64_t m_seed;
    int m_count = 0;
};

// The algorithms the invariants compare, naive first.
const std::array<Algorithm, 3> k_compared = {Algorithm::naive, Algorithm::flash1,
                                             Algorithm::flash2};

double hbm_traffic(const Metrics& m) {  // in double: the sum of two counts may pass 2^63
    return double(m.hbm_read_bytes) + double(m.hbm_write_bytes);
}

struct Tally {
    int simulated = 0, refused = 0, infeasible = 0, compared = 0;
};

// The same problem one step larger in seq (both lengths: growing seq_q alone moves the causal
// diagonal and may lower block-granular traffic), batch or heads; nullopt past the limits.
std::optional<SimulationRequest> larger(SimulationRequest req, RandomRequests& random) {
    AttentionProblem& p = req.problem;
    switch (random.pick(0, 2)) {
        case 0: {
            const std::int64_t step = random.size(1, std::max<std::int64_t>(1, p.seq_q / 2));
            if (std::max(p.seq_q, p.seq_k) + step > k_accepted_max_seq) return std::nullopt;
            p.seq_q += step;
            p.seq_k += step;
            break;
        }
        case 1:
            p.batch += 1;
            break;
        default:
            p.heads += p.kv_heads;  // keeps kv_heads a divisor
    }
    if (p.batch * p.heads > k_accepted_max_batch_heads) return std::nullopt;
    return req;
}

// Runs one request and checks what holds for any outcome; the result when there is one.
std::optional<Result> run_and_check(const SimulationRequest& req, RandomRequests& random,
                                    Violations& violations, Tally& tally) {
    const Outcome o = outcome_of(req);
    ++tally.simulated;
    if (o.overflow) {
        ++tally.refused;
        violations.check(
            overflow_is_real(*o.overflow) ? "" : std::string("untrue: ") + o.overflow->what(), req,
            "overflow refusals name an operation past 2^63-1");
        return std::nullopt;
    }
    if (o.other) {
        ++tally.infeasible;
        violations.check(is_tile_error(*o.other, req.problem) ? "" : o.other->what(), req,
                         "a problem inside the accepted limits is only refused for its tile");
        return std::nullopt;
    }
    violations.check(insane_field(*o.result), req, "every count is sane");

    // One step larger, same tile: no count may shrink (a larger one may overflow).
    std::optional<SimulationRequest> big = larger(req, random);
    if (big) {
        big->tile = o.result->tile;
        const Outcome b = outcome_of(*big);
        ++tally.simulated;
        violations.check(b.other ? b.other->what() : "", *big,
                         "a larger problem runs with the smaller one's tile");
        if (b.result)
            violations.check(shrunk_count(o.result->totals, b.result->totals,
                                          req.algorithm != Algorithm::naive ||
                                              same_softmax_kernel(req.problem, big->problem)),
                             *big, "counts are monotone in seq, batch and heads");
    }
    return o.result;
}

// naive against a flash algorithm on the same problem, both with their default tiles.
void compare(const Result& naive, const Result& flash, const SimulationRequest& req,
             Violations& violations) {
    const AttentionProblem& p = req.problem;
    // Flash's extra buffers (fp32 dQ accumulator, statistics) are O(N d); naive's N x N
    // matrices outgrow them once a row has at least head_dim keys.
    if (p.seq_k < p.head_dim) return;
    const std::int64_t naive_fp = naive.totals.hbm_footprint_bytes;
    const std::int64_t flash_fp = flash.totals.hbm_footprint_bytes;
    violations.check(naive_fp < flash_fp ? "naive " + std::to_string(naive_fp) + " < flash " +
                                               std::to_string(flash_fp)
                                         : "",
                     req, "naive footprint >= flash footprint");
    // Theorem 2's regime: the SRAM holds a (head_dim x head_dim) tile four times over, so the
    // rule's blocks are as tall as the head. Outside it (fp32, d >= 232) flash2's K/V re-reads
    // outgrow naive's N x N traffic. The backward pass is left out: the analytic model sends
    // every key block's fp32 dQ reduction to HBM, more than naive moves from d ~ 104 (bf16) on.
    const std::int64_t e = bytes_of(p.dtype);
    if (req.algorithm != Algorithm::flash2 || p.pass != Pass::fwd ||
        4 * p.head_dim * p.head_dim * e > req.gpu.sram_per_block_bytes)
        return;
    const double naive_hbm = hbm_traffic(naive.totals), flash_hbm = hbm_traffic(flash.totals);
    violations.check(naive_hbm < flash_hbm ? "naive " + std::to_string(naive_hbm) + " < flash2 " +
                                                 std::to_string(flash_hbm)
                                           : "",
                     req, "naive HBM traffic >= flash2 HBM traffic (analytic, fwd)");
}

}  // namespace

// 10^5 problems, each simulated with naive and flash2 (and some with flash1, whose plan costs
// O(key blocks) to build: one in 5, one in 100 past 64k tokens), each run with one larger variant.
TEST(CountProperties, RandomProblemsAreCountedSanelyOrRefusedAsOverflow) {
    const std::uint64_t seed = property_seed();
    RandomRequests random(seed);
    Violations violations(seed);
    Tally tally;
    const SimulationRequest base = request(Algorithm::naive);  // parses the GPU preset once
    constexpr int k_problems = 100000;
    for (int i = 0; i < k_problems && violations.count() < 20; ++i) {
        SimulationRequest req = base;
        // Sequences up to 16M one time in ten (closed forms walk every query block, so these
        // cost the most), else up to 64k; sizes are log-uniform with the edges drawn on purpose.
        req.problem = random.problem(random.chance(0.1) ? k_accepted_max_seq : 65536);
        const bool default_tiles = random.chance(0.8);
        std::array<std::optional<Result>, 3> by_algo;
        for (std::size_t a = 0; a < k_compared.size(); ++a) {
            req.algorithm = k_compared[a];
            const bool long_seq = std::max(req.problem.seq_q, req.problem.seq_k) > 65536;
            if (req.algorithm == Algorithm::flash1 && !random.chance(long_seq ? 0.01 : 0.2))
                continue;
            req.tile = default_tiles ? TileConfig{} : random.tile();
            by_algo[a] = run_and_check(req, random, violations, tally);
        }
        if (!default_tiles || !by_algo[0]) continue;
        ++tally.compared;
        for (std::size_t a : {std::size_t{1}, std::size_t{2}}) {
            req.algorithm = k_compared[a];
            if (by_algo[a]) compare(*by_algo[0], *by_algo[a], req, violations);
        }
    }
    EXPECT_EQ(violations.count(), 0);
    // The sample reaches both sides of the overflow boundary and the comparisons.
    EXPECT_GT(tally.refused, 1000);
    EXPECT_GT(tally.simulated - tally.refused - tally.infeasible, tally.simulated / 2);
    EXPECT_GT(tally.compared, k_problems / 2);
    RecordProperty("simulated", tally.simulated);
    RecordProperty("refused_overflow", tally.refused);
}

TEST(CountProperties, CycleModelWithoutL2MovesTheAnalyticBytes) {
    const std::uint64_t seed = property_seed();
    RandomRequests random(seed);
    Violations violations(seed);
    const SimulationRequest base = without_l2(request(Algorithm::naive));
    int compared = 0;
    for (int tries = 0; compared < 500 && tries < 5000 && violations.count() < 20; ++tries) {
        SimulationRequest req = base;
        req.algorithm = random.algorithm();
        req.problem = random.problem(/*max_seq=*/4096, /*max_batch_heads=*/16);
        if (random.chance(0.5)) req.tile = random.tile();
        const Outcome analytic = outcome_of(req);
        if (!analytic.result) continue;
        req.model = Model::cycle;
        const Outcome cycle = outcome_of(req);
        ++compared;
        std::string differs =
            cycle.result ? "" : "the cycle model refused what the analytic model ran";
        for (std::size_t k = 0; differs.empty() && k < cycle.result->kernels.size(); ++k) {
            const Metrics& a = analytic.result->kernels[k].metrics;
            const Metrics& c = cycle.result->kernels[k].metrics;
            if (a.hbm_read_bytes != c.hbm_read_bytes || a.hbm_write_bytes != c.hbm_write_bytes ||
                a.l2_read_bytes != c.l2_read_bytes || a.l2_write_bytes != c.l2_write_bytes ||
                a.sram_read_bytes != c.sram_read_bytes ||
                a.sram_write_bytes != c.sram_write_bytes ||
                std::abs(a.flops_matmul - c.flops_matmul) > 1e-9 * a.flops_matmul ||
                std::abs(a.flops_softmax - c.flops_softmax) > 1e-9 * a.flops_softmax)
                differs = "kernel " + analytic.result->kernels[k].name + " counts differ";
        }
        violations.check(differs, req, "cycle model with the L2 off equals the analytic model");
    }
    EXPECT_EQ(violations.count(), 0);
    EXPECT_EQ(compared, 500);
}
