// The simulation runs off the UI thread: a newer request supersedes an older one, and Cancel
// stops a long job while keeping the last result.
#include <gtest/gtest.h>

#include <QSignalSpy>

#include "gui_test_support.hpp"
#include "simulation_controller.hpp"

namespace flashscope::gui {
namespace {

GuiConfiguration slow_configuration() {
    GuiConfiguration c;
    c.algorithm = Algorithm::naive;  // three kernels per tile in the cycle model, 256 tiles
    c.problem.seq_q = c.problem.seq_k = 8192;
    return c;
}

TEST(SimulationController, CancelKeepsTheLastResult) {
    SimulationController controller;
    controller.request(GuiConfiguration{});
    ASSERT_TRUE(controller.wait_until_idle(30000));
    ASSERT_NE(controller.snapshot(), nullptr);
    const auto time_before = controller.snapshot()->selected.totals.time_s;

    QSignalSpy cancelled(&controller, &SimulationController::cancelled);
    QSignalSpy progress(&controller, &SimulationController::progress_changed);
    controller.request(slow_configuration());
    EXPECT_TRUE(controller.busy());
    ASSERT_TRUE(progress.wait(10000));  // it reports progress while it runs
    controller.cancel();
    ASSERT_TRUE(controller.wait_until_idle(30000));
    EXPECT_EQ(cancelled.count(), 1);
    // The early snapshot may have arrived before the cancel; otherwise the old one stays.
    const auto* snap = controller.snapshot();
    ASSERT_NE(snap, nullptr);
    if (snap->config == GuiConfiguration{})
        EXPECT_DOUBLE_EQ(snap->selected.totals.time_s, time_before);
    else
        EXPECT_FALSE(snap->tiles_ready);
}

TEST(SimulationController, NewerRequestSupersedesTheRunningOne) {
    SimulationController controller;
    QSignalSpy ready(&controller, &SimulationController::snapshot_ready);
    controller.request(slow_configuration());
    auto last = GuiConfiguration{};
    last.problem.seq_q = last.problem.seq_k = 1024;
    controller.request(last);
    ASSERT_TRUE(controller.wait_until_idle(60000));
    ASSERT_NE(controller.snapshot(), nullptr);
    EXPECT_EQ(controller.snapshot()->config, last);
    EXPECT_TRUE(controller.snapshot()->tiles_ready);
    EXPECT_LE(ready.count(), 2);
}

TEST(SimulationController, FailureNamesTheField) {
    SimulationController controller;
    QSignalSpy failed(&controller, &SimulationController::simulation_failed);
    auto config = GuiConfiguration{};
    config.tile = {32, 64, 8, 0};  // 8 warps of whole 16-row fragments need block_m = 128k
    controller.request(config);
    ASSERT_TRUE(controller.wait_until_idle(30000));
    ASSERT_EQ(failed.count(), 1);
    EXPECT_EQ(failed.at(0).at(0).toString(), QStringLiteral("warps"));
    EXPECT_TRUE(failed.at(0).at(1).toString().contains(QStringLiteral("multiple of 128")));
    EXPECT_EQ(controller.snapshot(), nullptr);
}

}  // namespace
}  // namespace flashscope::gui
