#include "flashscope/sweep/point_runner.hpp"

#include "flashscope/sim/simulate.hpp"

namespace flashscope::sweep {

PointRow run_point(const SweepPoint& point, const sim::GpuSpec& gpu, std::int64_t points,
                      OutputFormat format) {
    try {
        return {ok_row(point, points, sim::simulate(request_for(point, gpu)), gpu, format), true};
    } catch (const ConfigError& e) {
        return {failed_row(point, points, gpu, e.what(), &e, format), false};
    } catch (const std::exception& e) {
        return {failed_row(point, points, gpu, e.what(), nullptr, format), false};
    }
}

}  // namespace flashscope::sweep
