#pragma once
// Progress of a sweep on stderr: a redrawn bar on a terminal ("[=====>    ] 120/480 25.0%
// 41.3 points/s ETA 0:00:08"), a plain line every `plain_interval` otherwise (logs, Slurm).
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace flashscope::sweep {

// "0:00:08"; "--:--:--" when unknown.
std::string format_duration(double seconds);
// "120/480 25.0% 41.3 points/s ETA 0:00:08" (rate in points per second of this run).
std::string progress_text(std::int64_t done, std::int64_t total, double rate);
std::string progress_bar(std::int64_t done, std::int64_t total, int width);

class Progress {
public:
    using Clock = std::chrono::steady_clock;

    // `already_done` points (resumed) count as done but not towards the rate.
    Progress(std::ostream& out, bool terminal, bool quiet, std::int64_t total,
             std::int64_t already_done,
             std::chrono::milliseconds plain_interval = std::chrono::seconds(10));

    void update(std::int64_t done);  // cheap; draws only when due
    void finish(std::int64_t done);  // the last line, always (unless quiet)

private:
    void draw(std::int64_t done, bool last);

    std::ostream& m_out;
    bool m_terminal;
    bool m_quiet;
    std::int64_t m_total;
    std::int64_t m_already_done;
    std::chrono::milliseconds m_interval;
    Clock::time_point m_start;
    Clock::time_point m_last_draw;
};

}  // namespace flashscope::sweep
