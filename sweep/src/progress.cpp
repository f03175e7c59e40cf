#include "flashscope/sweep/progress.hpp"

#include <cmath>
#include <cstdio>

namespace flashscope::sweep {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "--:--:--";
    const auto s = static_cast<std::int64_t>(std::llround(seconds));
    char text[32];
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    return text;
}

std::string progress_text(std::int64_t done, std::int64_t total, double rate) {
    const double fraction =
        total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const double left = rate > 0 ? static_cast<double>(total - done) / rate : -1.0;
    char text[160];
    std::snprintf(text, sizeof text, "%lld/%lld %.1f%% %.1f points/s ETA %s",
                  static_cast<long long>(done), static_cast<long long>(total), 100.0 * fraction,
                  rate, format_duration(left).c_str());
    return text;
}

std::string progress_bar(std::int64_t done, std::int64_t total, int width) {
    const double fraction =
        total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int filled = static_cast<int>(fraction * width);
    std::string bar = "[";
    for (int i = 0; i < width; ++i) bar += i < filled ? '=' : (i == filled ? '>' : ' ');
    return bar + "]";
}

Progress::Progress(std::ostream& out, bool terminal, bool quiet, std::int64_t total,
                   std::int64_t already_done, std::chrono::milliseconds plain_interval)
    : m_out(out),
      m_terminal(terminal),
      m_quiet(quiet),
      m_total(total),
      m_already_done(already_done),
      m_interval(terminal ? std::chrono::milliseconds(200) : plain_interval),
      m_start(Clock::now()),
      m_last_draw(m_start) {}

void Progress::update(std::int64_t done) {
    if (m_quiet || Clock::now() - m_last_draw < m_interval) return;
    draw(done, false);
}

void Progress::finish(std::int64_t done) {
    if (!m_quiet) draw(done, true);
}

void Progress::draw(std::int64_t done, bool last) {
    m_last_draw = Clock::now();
    const double seconds = std::chrono::duration<double>(m_last_draw - m_start).count();
    const double rate = seconds > 0 ? static_cast<double>(done - m_already_done) / seconds : 0.0;
    if (m_terminal) {
        m_out << "\r" << progress_bar(done, m_total, 30) << ' '
              << progress_text(done, m_total, rate) << "  ";
        if (last) m_out << "\n";
    } else {
        m_out << "sweep: " << progress_text(done, m_total, rate) << "\n";
    }
    m_out.flush();
}

}  // namespace flashscope::sweep
