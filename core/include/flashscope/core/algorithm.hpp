#pragma once
// The attention algorithms flashscope models and runs: an open set of descriptors, registered
// by name. The built-in rows live in core/src/algorithm_table.cpp.
//
// Contract for sim/, kernels/ and everything above them:
// - An `Algorithm` is a handle (an index into the registry): copy and compare it freely. The
//   built-ins have names in code (Algorithm::naive, ::flash1, ::flash2); any other algorithm is
//   found by name (parse_algorithm) or returned by register_algorithm().
// - descriptor(a) is the one place an algorithm's facts live: its name, summary, the passes the
//   simulator models and the passes kernels/ runs, and the kernels each pass may launch.
// - Kernel names come from the descriptor only. A kernel is listed by its role ("fwd",
//   "bwd_preprocess"); its name is "<algorithm>_<role>" and kernel_name(a, role) returns it, or
//   throws std::logic_error for a role the descriptor does not list. sim/ schedules name their
//   KernelPlans and kernels/ launch plans name their KernelLaunch records through kernel_name(),
//   so simulated and measured records join by construction. measured_passes says which passes
//   kernels/ implements; validate and bench take only those.
// - Loops over algorithms use all_algorithms() (registration order); anything per algorithm is
//   sized by algorithm_count() and indexed by Algorithm::index(). Nothing is sized by hand.
// - register_algorithm() adds a row at run time (tests add a fake one). Register before threads
//   use the registry; descriptors are never removed and references to them stay valid.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/core/problem.hpp"

namespace flashscope {

class Algorithm {
public:
    static const Algorithm naive;   // S = QK^T and P = softmax(S) materialised in HBM
    static const Algorithm flash1;  // FlashAttention (2022): outer loop over K/V blocks
    static const Algorithm flash2;  // FlashAttention-2: outer loop over Q blocks, O written once

    constexpr Algorithm() = default;  // the first registered algorithm (naive)
    // The algorithm registered at `index`; throws std::out_of_range past algorithm_count().
    static Algorithm at(std::size_t index);

    constexpr std::size_t index() const { return m_index; }
    friend constexpr bool operator==(Algorithm, Algorithm) = default;
    friend constexpr auto operator<=>(Algorithm, Algorithm) = default;

private:
    friend class AlgorithmRegistry;
    constexpr explicit Algorithm(std::uint16_t index) : m_index(index) {}
    std::uint16_t m_index = 0;
};

inline constexpr Algorithm Algorithm::naive{0};
inline constexpr Algorithm Algorithm::flash1{1};
inline constexpr Algorithm Algorithm::flash2{2};

// One kernel an algorithm may launch: "<algorithm>_<role>", in the pass it belongs to.
struct KernelRole {
    std::string role;
    Pass pass = Pass::fwd;  // fwd or bwd
};

struct AlgorithmDescriptor {
    std::string name;                    // lower case, digits and '_': "flash2"
    std::string summary;                 // one line for `flashscope` listings and the GUI
    std::vector<Pass> simulated_passes;  // fwd and/or bwd (fwdbwd runs both)
    std::vector<Pass> measured_passes;   // those kernels/ implements; may be empty
    // Every kernel any configuration may launch, in launch order within each pass; some launch
    // only under a condition (GQA, eager mode) that the schedule or launch plan decides.
    std::vector<KernelRole> kernels;

    bool simulates(Pass pass) const;  // fwdbwd: both fwd and bwd
    bool measures(Pass pass) const;
};

std::size_t algorithm_count();
std::vector<Algorithm> all_algorithms();  // registration order; built-ins first
const AlgorithmDescriptor& descriptor(Algorithm algorithm);

// Adds an algorithm; throws ConfigError naming "algo" for an empty, malformed or taken name, or a
// kernel role listed twice.
Algorithm register_algorithm(AlgorithmDescriptor row);

std::string_view to_string(Algorithm algorithm);
Algorithm parse_algorithm(std::string_view text);  // throws ConfigError naming "algo"
std::ostream& operator<<(std::ostream& out, Algorithm algorithm);

// "<algorithm>_<role>"; throws std::logic_error when the descriptor does not list the role.
std::string kernel_name(Algorithm algorithm, std::string_view role);
// The names of every kernel the pass may launch, in order (fwdbwd: forward's, then backward's).
std::vector<std::string> kernel_names(Algorithm algorithm, Pass pass);

namespace detail {
// The built-in rows, in the order of Algorithm's named handles (core/src/algorithm_table.cpp).
std::vector<AlgorithmDescriptor> builtin_algorithms();
}  // namespace detail

}  // namespace flashscope
