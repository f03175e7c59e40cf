#include "simulation_progress.hpp"

#include <cstdio>

#include "flashscope/sweep/progress.hpp"

namespace flashscope::cli {
namespace {

constexpr auto k_quiet_start = std::chrono::seconds(1);
constexpr auto k_redraw = std::chrono::milliseconds(250);

}  // namespace

SimulationProgress::SimulationProgress(std::ostream& err, bool terminal)
    : m_err(err), m_terminal(terminal) {}

SimulationProgress::~SimulationProgress() {
    if (m_drawn) m_err << "\r\033[K" << std::flush;
}

std::function<void(double)> SimulationProgress::reporter(std::string label) {
    if (!m_terminal) return {};
    return [this, label = std::move(label), run_start = Clock::now()](double fraction) {
        const Clock::time_point now = Clock::now();
        if (now - m_start < k_quiet_start || now - m_last_draw < k_redraw) return;
        m_last_draw = now;
        draw(label, fraction, run_start);
    };
}

void SimulationProgress::draw(const std::string& label, double fraction,
                              Clock::time_point run_start) {
    const double seconds = std::chrono::duration<double>(m_last_draw - run_start).count();
    const double left = fraction > 0 ? seconds * (1 - fraction) / fraction : -1;
    char percent[16];
    std::snprintf(percent, sizeof percent, "%5.1f%%", 100 * fraction);
    m_err << "\r\033[Ksimulate " << label << ' '
          << sweep::progress_bar(std::int64_t(fraction * 1000), 1000, 30) << ' ' << percent
          << " ETA " << sweep::format_duration(left) << std::flush;
    m_drawn = true;
}

}  // namespace flashscope::cli
