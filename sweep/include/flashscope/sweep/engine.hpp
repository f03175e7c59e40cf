#pragma once
// The sweep engine: simulates a list of points on worker threads (each takes the next point when
// it finishes one, so slow and fast points balance) and hands every row to a sink on the calling
// thread. Row order does not depend on the thread count: sinks order rows by index.
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "flashscope/sweep/row_format.hpp"
#include "flashscope/sweep/row_sink.hpp"
#include "flashscope/sweep/sweep_point.hpp"
#include "flashscope/sweep/sweep_spec.hpp"

namespace flashscope::sweep {

struct EngineCounts {
    std::int64_t computed = 0;
    std::int64_t not_ok = 0;  // infeasible or error rows
    bool stopped = false;     // `stop` was set before every point was taken
};

// `todo`: indices into `points`. `on_row(rows done so far)` runs on the calling thread after each
// row (may be empty). When `stop` becomes true, running points finish and no new one starts.
// A sink that throws stops the workers; the exception is rethrown after they are joined.
EngineCounts run_points(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                        const std::vector<std::int64_t>& todo, const RowContext& context,
                        std::int64_t jobs, RowSink& sink,
                        const std::function<void(std::int64_t)>& on_row,
                        const std::atomic<bool>* stop);

}  // namespace flashscope::sweep
