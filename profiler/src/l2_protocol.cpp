#include "flashscope/profiler/l2_protocol.hpp"

#include <string>

#include "flashscope/core/error.hpp"

namespace flashscope::profiler {

std::string_view to_string(L2Protocol protocol) {
    switch (protocol) {
        case L2Protocol::isolated:
            return "isolated";
        case L2Protocol::chained:
            return "chained";
        case L2Protocol::none:
            return "none";
    }
    return "?";
}

L2Protocol parse_l2_protocol(std::string_view text) {
    if (text == "isolated") return L2Protocol::isolated;
    if (text == "chained") return L2Protocol::chained;
    if (text == "none") return L2Protocol::none;
    throw ConfigError("l2", std::string(text), "must be isolated, chained or none");
}

RangeLayout range_layout(std::size_t launches, L2Protocol protocol) {
    RangeLayout layout;
    std::size_t next = 0;
    for (std::size_t i = 0; i < launches; ++i) {
        const bool last = i + 1 == launches;
        layout.flush_before.push_back(protocol == L2Protocol::isolated ||
                                      (protocol == L2Protocol::chained && i == 0));
        layout.kernel_range.push_back(next++);
        const bool drain =
            protocol == L2Protocol::isolated || (protocol == L2Protocol::chained && last);
        layout.drain_range.push_back(drain ? std::optional<std::size_t>(next++) : std::nullopt);
    }
    layout.range_count = next;
    return layout;
}

}  // namespace flashscope::profiler
