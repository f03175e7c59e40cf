#include "flashscope/sweep/engine.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include "flashscope/sweep/point_runner.hpp"

namespace flashscope::sweep {
namespace {

constexpr std::chrono::milliseconds k_collect_tick{100};

// What the workers share with the collecting thread.
struct Mailbox {
    std::mutex mutex;
    std::condition_variable ready;
    std::vector<std::pair<std::int64_t, PointRow>> rows;  // finished, not yet collected
    std::int64_t workers_running = 0;
    std::exception_ptr failure;
};

}  // namespace

EngineCounts run_points(const SweepSpec& spec, const std::vector<SweepPoint>& points,
                        const std::vector<std::int64_t>& todo, const RowContext& context,
                        std::int64_t jobs, RowSink& sink,
                        const std::function<void(std::int64_t)>& on_row,
                        const std::atomic<bool>* stop) {
    EngineCounts counts;
    if (todo.empty()) return counts;
    const std::int64_t threads =
        std::clamp<std::int64_t>(jobs, 1, static_cast<std::int64_t>(todo.size()));
    Mailbox box;
    box.workers_running = threads;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> abort{false};
    const auto halted = [&] { return abort.load() || (stop && stop->load()); };

    const auto work = [&] {
        try {
            for (std::size_t i = next++; i < todo.size() && !halted(); i = next++) {
                const SweepPoint& p = points[static_cast<std::size_t>(todo[i])];
                PointRow row =
                    run_point(p, spec.gpu_specs[static_cast<std::size_t>(p.gpu_slot)], context);
                const std::lock_guard lock(box.mutex);
                box.rows.emplace_back(p.index, std::move(row));  // collected on the next tick
            }
        } catch (...) {
            const std::lock_guard lock(box.mutex);
            if (!box.failure) box.failure = std::current_exception();
            abort = true;
        }
        const std::lock_guard lock(box.mutex);
        --box.workers_running;
        box.ready.notify_one();
    };
    std::vector<std::thread> workers;
    for (std::int64_t t = 0; t < threads; ++t) workers.emplace_back(work);

    std::exception_ptr failure;
    try {
        std::vector<std::pair<std::int64_t, PointRow>> batch;
        bool running = true;
        while (running) {
            {
                std::unique_lock lock(box.mutex);
                // Collect on a fixed tick rather than per row: with one core to spare, waking the
                // collector for every row would take time from the workers.
                box.ready.wait_for(lock, k_collect_tick, [&] { return box.workers_running == 0; });
                batch.swap(box.rows);
                running = box.workers_running > 0;  // rows are posted before a worker leaves
            }
            for (auto& [index, row] : batch) {
                if (!row.ok) ++counts.not_ok;
                sink.add(index, std::move(row.line));
                ++counts.computed;
                if (on_row) on_row(counts.computed);
            }
            batch.clear();
            if (on_row) on_row(counts.computed);
        }
    } catch (...) {
        failure = std::current_exception();
        abort = true;
    }
    for (std::thread& w : workers) w.join();
    if (!failure) failure = box.failure;
    if (failure) std::rethrow_exception(failure);
    counts.stopped = counts.computed < static_cast<std::int64_t>(todo.size());
    return counts;
}

}  // namespace flashscope::sweep
