#pragma once
// A long simulation's progress on a terminal (simulate --seq 1048576 runs for minutes): nothing
// for the first second, as most runs end sooner, then a bar redrawn a few times a second and
// erased when the run ends. Silent when stderr is not a terminal, so logs and pipes stay clean.
#include <chrono>
#include <functional>
#include <ostream>
#include <string>

namespace flashscope::cli {

class SimulationProgress {
public:
    SimulationProgress(std::ostream& err, bool terminal);
    ~SimulationProgress();  // erases the bar

    // A callback for SimulationRequest::progress; `label` names the run ("flash2").
    std::function<void(double fraction)> reporter(std::string label);

private:
    using Clock = std::chrono::steady_clock;
    void draw(const std::string& label, double fraction, Clock::time_point run_start);

    std::ostream& m_err;
    bool m_terminal;
    Clock::time_point m_start = Clock::now();
    Clock::time_point m_last_draw{};
    bool m_drawn = false;
};

}  // namespace flashscope::cli
