#include "simulation_controller.hpp"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPromise>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>

#include "flashscope/core/error.hpp"

namespace flashscope::gui {

namespace {

void run_job(QPromise<SimulationOutcome>& promise, const GuiConfiguration& config) {
    SimulationOutcome outcome;
    promise.setProgressRange(0, 400);
    try {
        outcome.snapshot = compute_snapshot(
            config,
            [&promise](int done, int) {
                promise.setProgressValue(done);
                return !promise.isCanceled();
            },
            [&promise](const SimulationSnapshot& early) {
                SimulationOutcome partial;
                partial.snapshot = early;
                partial.early = true;
                promise.addResult(std::move(partial));
            });
    } catch (const Cancelled&) {
        outcome.cancelled = true;
    } catch (const ConfigError& e) {
        outcome.error_field = QString::fromStdString(e.field());
        outcome.error_message = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        outcome.error_field = QStringLiteral("configuration");
        outcome.error_message = QString::fromStdString(e.what());
    }
    promise.addResult(std::move(outcome));
}

}  // namespace

SimulationController::SimulationController(QObject* parent) : QObject(parent) {}

SimulationController::~SimulationController() {
    if (m_running) {
        m_running->cancel();
        m_running->waitForFinished();
    }
}

void SimulationController::request(const GuiConfiguration& config) {
    if (m_running) m_running->cancel();  // its result is dropped in finish()
    const unsigned generation = ++m_generation;
    auto* watcher = new QFutureWatcher<SimulationOutcome>(this);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher](int value) {
        if (watcher == m_running) Q_EMIT progress_changed(value, 400);
    });
    connect(watcher, &QFutureWatcherBase::resultReadyAt, this,
            [this, watcher, generation](int index) {
                if (generation != m_generation) return;
                auto outcome = watcher->resultAt(index);
                if (!outcome.early || !outcome.snapshot) return;
                m_snapshot = std::move(outcome.snapshot);
                Q_EMIT snapshot_ready();
            });
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation] { finish(watcher, generation); });
    const bool was_busy = busy();
    m_running = watcher;
    watcher->setFuture(QtConcurrent::run(run_job, config));
    if (!was_busy) Q_EMIT busy_changed(true);
}

void SimulationController::cancel() {
    if (m_running) m_running->cancel();
}

void SimulationController::finish(QFutureWatcher<SimulationOutcome>* watcher, unsigned generation) {
    watcher->deleteLater();
    if (generation != m_generation) return;  // superseded by a newer request
    m_running = nullptr;
    Q_EMIT busy_changed(false);
    const auto future = watcher->future();
    const int count = future.resultCount();
    auto outcome = count > 0 ? future.resultAt(count - 1) : SimulationOutcome{};
    if (count == 0 || outcome.early) {  // stopped before it completed
        Q_EMIT cancelled();
        return;
    }
    if (outcome.cancelled) {
        Q_EMIT cancelled();
    } else if (outcome.snapshot) {
        m_snapshot = std::move(outcome.snapshot);
        Q_EMIT snapshot_ready();
    } else {
        Q_EMIT simulation_failed(outcome.error_field, outcome.error_message);
    }
}

bool SimulationController::wait_until_idle(int timeout_ms) {
    QElapsedTimer timer;
    timer.start();
    while (busy()) {
        if (timer.elapsed() > timeout_ms) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(1);
    }
    return true;
}

}  // namespace flashscope::gui
