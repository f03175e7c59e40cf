#include "flashscope/sweep/product.hpp"

#include "flashscope/sweep/spec_error.hpp"

namespace flashscope::sweep {
namespace {

std::size_t gpu_axis(const SweepSpec& spec) {
    for (std::size_t a = 0; a < spec.axes.size(); ++a)
        if (spec.axes[a].option->key == "gpu") return a;
    throw SpecError(spec.origin, 0, "gpu",
                    "the sweep has no gpu axis");  // parse_sweep_spec adds one
}

}  // namespace

std::int64_t point_count(const SweepSpec& spec) {
    std::int64_t total = 1;
    for (const sim::OptionAxis& axis : spec.axes) {
        const auto size = static_cast<std::int64_t>(axis.values.size());
        if (size > 0 && total > k_max_points / size)
            throw SpecError(spec.origin, 0, "",
                            "the sweep has more than " + std::to_string(k_max_points) +
                                " points; split it into several files");
        total *= size;
    }
    return total;
}

std::vector<SweepPoint> expand(const SweepSpec& spec) {
    const std::int64_t total = point_count(spec);
    const std::size_t gpu = gpu_axis(spec);
    std::vector<SweepPoint> points;
    points.reserve(static_cast<std::size_t>(total));
    std::vector<std::size_t> at(spec.axes.size(), 0);
    for (std::int64_t i = 0; i < total; ++i) {
        SweepPoint& p = points.emplace_back();
        p.index = i;
        p.gpu_slot = static_cast<std::int64_t>(at[gpu]);
        p.config = sim::compose(spec.axes, at);
        p.id = point_id(p);
        for (std::size_t axis = at.size(); axis-- > 0;) {  // odometer: last axis fastest
            if (++at[axis] < spec.axes[axis].values.size()) break;
            at[axis] = 0;
        }
    }
    return points;
}

}  // namespace flashscope::sweep
