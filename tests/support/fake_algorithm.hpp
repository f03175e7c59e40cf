#pragma once
// A fourth algorithm that exists only in test binaries, to prove that nothing outside an
// algorithm's own files is sized by hand or branches on the built-in three. Its schedule is
// trivial: one kernel per pass that streams one (block_m, head_dim) tile in, scales it, and
// writes one out per query block ("fake_fwd": Q -> O, "fake_bwd": dO -> dQ).
#include <cstdint>
#include <memory>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/sim/schedule.hpp"

namespace flashscope::test {

// Registers the descriptor and the schedule on first call; returns the same handle after.
Algorithm fake_algorithm();

// The fake's schedule for another descriptor (which must list the roles "fwd" and "bwd").
std::unique_ptr<sim::Schedule> make_fake_schedule(Algorithm algorithm);

// HBM bytes one pass of the fake moves with the L2 out of the way: every element of its input
// read once and of its output written once (float64 reference).
double fake_pass_hbm_bytes(const AttentionProblem& problem);

}  // namespace flashscope::test
