#pragma once
// The up-front half of checked counting: a problem whose largest count would not fit 64 bits is
// refused before any work, with the product that overflows. The simulator checks every count
// it forms besides (Count, checked_add), so nothing can wrap that this bound lets through.
#include "flashscope/core/problem.hpp"

namespace flashscope {

// Throws CountOverflow naming "batch*heads*seq_q*seq_k*elem" when one N x N matrix of every head
// (naive attention's S) has more than 2^63 - 1 bytes: every algorithm's SRAM traffic and FLOP
// count is a multiple of it.
void check_countable(const AttentionProblem& problem);

}  // namespace flashscope
