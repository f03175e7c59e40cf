#pragma once
// Which simulated kernel a kernel of a profiler report stands for, by rule: a regular expression
// (ECMAScript, searched anywhere in the name ncu prints), the algorithm, and the role: the name of
// the simulated kernel it is compared with. The shipped rules are configs/ncu/kernels.yaml
// (embedded at build time); a user's file is read first, so its rules win.
//
//   rules:
//     - name: pytorch-flash-fwd
//       kernel: 'pytorch_flash::flash_fwd_kernel<'
//       algo: flash2
//       role: flash2_fwd                  # the same role in every pass, or per pass in launch
//       order, # roles: {fwd: [naive_qk, naive_pv], bwd: [naive_dv, naive_dp, naive_dk, naive_dq]}
//       # (repeated for further launches; ~ is a launch with no simulated counterpart)
//       tile:                             # optional: the tile from the name's template arguments
//         from: 'Flash_fwd_kernel_traits<\d+, (\d+), (\d+), (\d+)'
//         block_m: 1                      # capture group numbers
//         block_n: 2
//         warps: 3
//     - name: input-init
//       kernel: 'fill_uniform_kernel'
//       ignore: fills the inputs          # listed as ignored, with this reason
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"

namespace flashscope::validate {

struct TileCapture {
    std::regex regex;
    int block_m = 0, block_n = 0, warps = 0, stages = 0;  // capture group numbers, 0: not captured
};

struct KernelRule {
    std::string name;
    std::string origin;  // "file: rule 3", for messages
    std::string pattern;
    std::regex regex;
    std::string ignore_reason;  // non-empty: an ignore rule (no algorithm, no role)
    Algorithm algorithm = Algorithm::flash2;
    // Roles in launch order for fwd and bwd; nullopt entries have no simulated counterpart.
    std::map<Pass, std::vector<std::optional<std::string>>> roles;
    std::optional<TileCapture> tile;
};

using KernelRules = std::vector<KernelRule>;

// Throws ConfigError naming the origin, the rule and the key for a malformed file or pattern.
KernelRules parse_kernel_rules(const std::string& yaml_text, const std::string& origin);
KernelRules load_kernel_rules(const std::string& path);
const std::string& shipped_kernel_rules_yaml();  // configs/ncu/kernels.yaml
// The user's rules (when a path is given) ahead of the shipped ones.
KernelRules kernel_rules(const std::string& user_path);

struct KernelMatch {
    const KernelRule* rule = nullptr;  // nullptr: no rule matched
    std::optional<std::string> role;   // the simulated kernel's name
    std::string no_role;               // with a rule but no role: why
    TileConfig tile;                   // fields the name gave, 0 elsewhere
};

// Matches the launches of one report in order: a rule with a role list hands out its roles in turn
// (for fwdbwd, the fwd list then the bwd list).
class KernelMatcher {
public:
    KernelMatcher(const KernelRules& rules, Pass pass);
    KernelMatch match(const std::string& kernel_name);

private:
    const KernelRules& m_rules;
    Pass m_pass;
    std::map<const KernelRule*, std::size_t> m_next;  // next role index per rule
};

}  // namespace flashscope::validate
