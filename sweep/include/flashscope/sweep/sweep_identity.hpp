#pragma once
// A sweep's identity: what every row of its output carries as `sweep_id`, so that `--resume` and
// `merge` can tell rows of one sweep from rows of another. It is the digest of
//   - the output schema (k_sweep_schema) and the simulator's model version (sim::k_model_version),
//   - the YAML text of each GPU the sweep uses (a preset or a file), in order,
//   - the id of every point in index order: the normalised sweep file, value by value.
// So writing the same sweep differently (keys in another order, 0064 for 64, a default spelled
// out, another name or description) keeps it; another value, a changed GPU file or another model
// version changes it.
#include <string>
#include <vector>

#include "flashscope/sweep/sweep_point.hpp"
#include "flashscope/sweep/sweep_spec.hpp"

namespace flashscope::sweep {

// The layout of sweep rows (columns, fields). Bump it when that layout changes.
inline constexpr const char* k_sweep_schema = "flashscope.sweep/3";

// 16 hex digits (digest.hpp). `points` is expand(spec).
std::string sweep_identity(const SweepSpec& spec, const std::vector<SweepPoint>& points);

}  // namespace flashscope::sweep
