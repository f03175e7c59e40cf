#include "flashscope/profiler/event_timer.hpp"

#include <algorithm>
#include <string>

#include "cuda_check.hpp"
#include "flashscope/profiler/profiler_error.hpp"
#include "flashscope/profiler/stream_hold.hpp"

namespace flashscope::profiler {

namespace {

class EventPair {
public:
    EventPair() {
        detail::check_cuda(cudaEventCreate(&m_start), "cudaEventCreate");
        detail::check_cuda(cudaEventCreate(&m_stop), "cudaEventCreate");
    }
    ~EventPair() {
        cudaEventDestroy(m_start);
        cudaEventDestroy(m_stop);
    }
    EventPair(const EventPair&) = delete;
    EventPair& operator=(const EventPair&) = delete;

    // Seconds between events recorded before and after the launches [first, last), all queued
    // behind a hold, so that the GPU does not wait for the host's launch calls between them.
    double time(const RangeLaunch* first, const RangeLaunch* last, cudaStream_t stream) {
        m_hold.hold(stream);
        {
            // Let go on every way out: a launch that throws must not leave the GPU spinning.
            struct Release {
                StreamHold& hold;
                ~Release() { hold.release(); }
            } release{m_hold};
            detail::check_cuda(cudaEventRecord(m_start, stream), "cudaEventRecord");
            for (const RangeLaunch* launch = first; launch != last; ++launch) {
                launch->run(stream);
                detail::check_cuda(cudaGetLastError(), launch->name.c_str());
            }
            detail::check_cuda(cudaEventRecord(m_stop, stream), "cudaEventRecord");
        }
        detail::check_cuda(cudaEventSynchronize(m_stop), "cudaEventSynchronize");
        if (m_hold.timed_out())
            throw ProfilerError(ProfilerErrorKind::timing,
                                "timing " + first->name + ": the launches took over " +
                                    std::to_string(m_hold.limit_s()) +
                                    " s to queue behind the stream hold; their time would "
                                    "include the host's");
        float ms = 0;
        detail::check_cuda(cudaEventElapsedTime(&ms, m_start, m_stop), "cudaEventElapsedTime");
        return double(ms) * 1e-3;
    }

private:
    cudaEvent_t m_start = nullptr;
    cudaEvent_t m_stop = nullptr;
    StreamHold m_hold;
};

}  // namespace

double median_of(std::vector<double> values) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

std::vector<double> median_launch_seconds(const std::vector<RangeLaunch>& launches, int runs,
                                          L2Flusher* flusher, const std::vector<bool>& flush_before,
                                          cudaStream_t stream) {
    for (const auto& launch : launches) launch.run(stream);  // warm-up (module load, cuBLAS init)
    detail::check_cuda(cudaStreamSynchronize(stream), "warm-up");
    std::vector<std::vector<double>> samples(launches.size());
    EventPair events;
    for (int r = 0; r < runs; ++r) {
        for (std::size_t i = 0; i < launches.size(); ++i) {
            if (flusher && i < flush_before.size() && flush_before[i]) flusher->flush(stream);
            samples[i].push_back(events.time(&launches[i], &launches[i] + 1, stream));
        }
    }
    std::vector<double> medians;
    for (auto& s : samples) medians.push_back(median_of(std::move(s)));
    return medians;
}

std::vector<double> list_run_seconds(const std::vector<RangeLaunch>& launches, int warmup, int runs,
                                     L2Flusher* flusher, cudaStream_t stream) {
    for (int r = 0; r < warmup; ++r)
        for (const auto& launch : launches) launch.run(stream);
    detail::check_cuda(cudaStreamSynchronize(stream), "warm-up");
    std::vector<double> seconds;
    EventPair events;
    for (int r = 0; r < runs; ++r) {
        if (flusher) flusher->flush(stream);
        seconds.push_back(events.time(launches.data(), launches.data() + launches.size(), stream));
    }
    return seconds;
}

}  // namespace flashscope::profiler
