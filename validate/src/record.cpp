#include "flashscope/validate/record.hpp"

#include <limits>
#include <sstream>

#include "flashscope/core/dtype.hpp"

namespace flashscope::validate {

std::string to_string(const ConfigKey& key) {
    const auto& p = key.problem;
    std::ostringstream out;
    out << to_string(key.algorithm) << '/' << to_string(p.pass) << " b" << p.batch << " h"
        << p.heads << " kv" << p.kv_heads << " q" << p.seq_q << " k" << p.seq_k << " d"
        << p.head_dim << ' ' << to_string(p.dtype) << (p.causal ? " causal" : "") << " tile "
        << key.tile.block_m << 'x' << key.tile.block_n << " w" << key.tile.warps << " s"
        << key.tile.stages << " :" << key.kernel;
    return out.str();
}

double relative_error(double predicted, double measured) {
    if (measured == 0) return predicted == 0 ? 0.0 : std::numeric_limits<double>::quiet_NaN();
    return (predicted - measured) / measured;
}

double ValidationRecord::relative_error(const std::string& field) const {
    const auto info = find_metric(field);
    if (!info || !is_measured(field)) return std::numeric_limits<double>::quiet_NaN();
    return validate::relative_error(info->get(predicted), info->get(measured));
}

}  // namespace flashscope::validate
