#pragma once
// Runs compute_snapshot() off the UI thread (QtConcurrent), one job at a time: a new request
// cancels the running one, whose result is then dropped. Reports progress, failures (with the
// field the simulator named) and keeps the last valid snapshot.
#include <QFutureWatcher>
#include <QObject>
#include <memory>
#include <optional>

#include "simulation_snapshot.hpp"

namespace flashscope::gui {

struct SimulationOutcome {
    std::optional<SimulationSnapshot> snapshot;
    QString error_field;  // empty when it worked or was cancelled
    QString error_message;
    bool cancelled = false;
    bool early = false;  // published before the tile sweep; a complete outcome follows
};

class SimulationController : public QObject {
    Q_OBJECT
public:
    explicit SimulationController(QObject* parent = nullptr);
    ~SimulationController() override;

    void request(const GuiConfiguration& config);
    void cancel();
    bool busy() const { return m_running != nullptr; }
    const SimulationSnapshot* snapshot() const { return m_snapshot ? &*m_snapshot : nullptr; }
    // For tests and scripts: process events until no job runs (false on timeout).
    bool wait_until_idle(int timeout_ms);

Q_SIGNALS:
    void snapshot_ready();  // also for the early snapshot (tiles_ready == false)
    void simulation_failed(const QString& field, const QString& message);
    void progress_changed(int value, int maximum);
    void busy_changed(bool busy);
    void cancelled();

private:
    void finish(QFutureWatcher<SimulationOutcome>* watcher, unsigned generation);

    std::optional<SimulationSnapshot> m_snapshot;
    QFutureWatcher<SimulationOutcome>* m_running = nullptr;
    unsigned m_generation = 0;
};

}  // namespace flashscope::gui
