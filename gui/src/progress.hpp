#pragma once
// How long computations report progress and learn that they were cancelled, without knowing Qt:
// `keep_going(done, total)` returns false to stop; the computation then throws Cancelled.
#include <functional>
#include <stdexcept>

namespace flashscope::gui {

using ProgressCallback = std::function<bool(int done, int total)>;

struct Cancelled : std::runtime_error {
    Cancelled() : std::runtime_error("cancelled") {}
};

inline void report_progress(const ProgressCallback& keep_going, int done, int total) {
    if (keep_going && !keep_going(done, total)) throw Cancelled();
}

}  // namespace flashscope::gui
