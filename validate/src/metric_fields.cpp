#include "metric_fields.hpp"

#include <cmath>
#include <cstdint>

namespace flashscope::validate::detail {

bool set_metric(Metrics& m, std::string_view name, double value) {
    const auto bytes = static_cast<std::int64_t>(std::llround(value));
    if (name == "hbm_read_bytes")
        m.hbm_read_bytes = bytes;
    else if (name == "hbm_write_bytes")
        m.hbm_write_bytes = bytes;
    else if (name == "l2_read_bytes")
        m.l2_read_bytes = bytes;
    else if (name == "l2_write_bytes")
        m.l2_write_bytes = bytes;
    else if (name == "sram_read_bytes")
        m.sram_read_bytes = bytes;
    else if (name == "sram_write_bytes")
        m.sram_write_bytes = bytes;
    else if (name == "flops_matmul")
        m.flops_matmul = value;
    else if (name == "flops_softmax")
        m.flops_softmax = value;
    else if (name == "hbm_footprint_bytes")
        m.hbm_footprint_bytes = bytes;
    else if (name == "time_s")
        m.time_s = value;
    else if (name == "cycles")
        m.cycles = value;
    else
        return set_optional_metric(m, name, value);  // NaN (null, empty cell) leaves it empty
    return true;
}

}  // namespace flashscope::validate::detail
