#pragma once
// float64 CPU reference of attention forward and backward, for the kernel tests.
// Tensors are (batch, head, row, col) float arrays as AttentionWorkspace::download returns them.
#include <vector>

#include "flashscope/core/problem.hpp"

namespace flashscope::test {

struct ReferenceResult {
    std::vector<double> o, lse;  // lse = +inf for rows that see no key
    std::vector<double> dq, dk, dv;
};

ReferenceResult reference_attention(const AttentionProblem& problem, const std::vector<float>& q,
                                    const std::vector<float>& k, const std::vector<float>& v,
                                    const std::vector<float>& d_o);

}  // namespace flashscope::test
