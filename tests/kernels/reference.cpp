#include "reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

namespace flashscope::test {

ReferenceResult reference_attention(const AttentionProblem& p, const std::vector<float>& q,
                                    const std::vector<float>& k, const std::vector<float>& v,
                                    const std::vector<float>& d_o) {
    const std::int64_t sq = p.seq_q, sk = p.seq_k, d = p.head_dim, group = p.group_size();
    const double scale = p.effective_scale();
    ReferenceResult r;
    r.o.assign(q.size(), 0.0);
    r.dq.assign(q.size(), 0.0);
    r.lse.assign(static_cast<std::size_t>(p.batch * p.heads * sq), 0.0);
    r.dk.assign(k.size(), 0.0);
    r.dv.assign(v.size(), 0.0);
    std::mutex kv_mutex;  // query heads of one group add into the same dK, dV

    auto one_head = [&](std::int64_t b, std::int64_t h) {
        const std::int64_t kvh = h / group;
        auto Q = [&](std::int64_t i, std::int64_t c) {
            return static_cast<double>(q[((b * p.heads + h) * sq + i) * d + c]);
        };
        auto dO = [&](std::int64_t i, std::int64_t c) {
            return static_cast<double>(d_o[((b * p.heads + h) * sq + i) * d + c]);
        };
        auto K = [&](std::int64_t j, std::int64_t c) {
            return static_cast<double>(k[((b * p.kv_heads + kvh) * sk + j) * d + c]);
        };
        auto V = [&](std::int64_t j, std::int64_t c) {
            return static_cast<double>(v[((b * p.kv_heads + kvh) * sk + j) * d + c]);
        };
        std::vector<double> P(static_cast<std::size_t>(sq * sk), 0.0);
        std::vector<double> dS(static_cast<std::size_t>(sq * sk), 0.0);
        for (std::int64_t i = 0; i < sq; ++i) {
            const std::int64_t visible =
                p.causal ? std::clamp<std::int64_t>(i + sk - sq + 1, 0, sk) : sk;
            double* row = &P[static_cast<std::size_t>(i * sk)];
            double max = -std::numeric_limits<double>::infinity();
            for (std::int64_t j = 0; j < visible; ++j) {
                double s = 0;
                for (std::int64_t c = 0; c < d; ++c) s += Q(i, c) * K(j, c);
                row[j] = s * scale;
                max = std::max(max, row[j]);
            }
            double sum = 0;
            for (std::int64_t j = 0; j < visible; ++j) sum += std::exp(row[j] - max);
            for (std::int64_t j = 0; j < visible; ++j) row[j] = std::exp(row[j] - max) / sum;
            r.lse[static_cast<std::size_t>((b * p.heads + h) * sq + i)] =
                visible > 0 ? max + std::log(sum) : std::numeric_limits<double>::infinity();
            double* o_row = &r.o[static_cast<std::size_t>(((b * p.heads + h) * sq + i) * d)];
            for (std::int64_t j = 0; j < visible; ++j)
                for (std::int64_t c = 0; c < d; ++c) o_row[c] += row[j] * V(j, c);
            // dP = dO V^T, D = rowsum(dO o O), dS = P o (dP - D)
            double D = 0;
            for (std::int64_t c = 0; c < d; ++c) D += dO(i, c) * o_row[c];
            for (std::int64_t j = 0; j < visible; ++j) {
                double dp = 0;
                for (std::int64_t c = 0; c < d; ++c) dp += dO(i, c) * V(j, c);
                dS[static_cast<std::size_t>(i * sk + j)] = row[j] * (dp - D);
            }
            double* dq_row = &r.dq[static_cast<std::size_t>(((b * p.heads + h) * sq + i) * d)];
            for (std::int64_t j = 0; j < visible; ++j)
                for (std::int64_t c = 0; c < d; ++c)
                    dq_row[c] += scale * dS[static_cast<std::size_t>(i * sk + j)] * K(j, c);
        }
        std::vector<double> dk(static_cast<std::size_t>(sk * d), 0.0),
            dv(static_cast<std::size_t>(sk * d), 0.0);
        for (std::int64_t i = 0; i < sq; ++i)
            for (std::int64_t j = 0; j < sk; ++j) {
                const double pij = P[static_cast<std::size_t>(i * sk + j)];
                const double dsij = dS[static_cast<std::size_t>(i * sk + j)];
                if (pij == 0.0 && dsij == 0.0) continue;
                for (std::int64_t c = 0; c < d; ++c) {
                    dv[static_cast<std::size_t>(j * d + c)] += pij * dO(i, c);
                    dk[static_cast<std::size_t>(j * d + c)] += scale * dsij * Q(i, c);
                }
            }
        std::lock_guard lock(kv_mutex);
        for (std::int64_t j = 0; j < sk * d; ++j) {
            r.dk[static_cast<std::size_t>((b * p.kv_heads + kvh) * sk * d + j)] +=
                dk[static_cast<std::size_t>(j)];
            r.dv[static_cast<std::size_t>((b * p.kv_heads + kvh) * sk * d + j)] +=
                dv[static_cast<std::size_t>(j)];
        }
    };

    // One (batch, head) per task; float64 makes the order of the group sum immaterial.
    const std::int64_t tasks = p.batch * p.heads;
    const unsigned workers = std::max(
        1u, std::min<unsigned>(std::thread::hardware_concurrency(), static_cast<unsigned>(tasks)));
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            for (std::int64_t t = w; t < tasks; t += workers) one_head(t / p.heads, t % p.heads);
        });
    for (auto& t : threads) t.join();
    return r;
}

}  // namespace flashscope::test
