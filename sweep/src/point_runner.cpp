#include "flashscope/sweep/point_runner.hpp"

#include "flashscope/sim/simulate.hpp"

namespace flashscope::sweep {

PointRow run_point(const SweepPoint& point, const sim::GpuSpec& gpu, const RowContext& context) {
    try {
        return {ok_row(point, context, sim::simulate(sim::make_request(point.config, gpu)), gpu),
                true};
    } catch (const ConfigError& e) {
        return {failed_row(point, context, gpu, e.what(), &e), false};
    } catch (const std::exception& e) {
        return {failed_row(point, context, gpu, e.what(), nullptr), false};
    }
}

}  // namespace flashscope::sweep
