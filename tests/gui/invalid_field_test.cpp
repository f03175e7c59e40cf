// An invalid field is marked with the simulator's message and the views keep the last result.
#include <gtest/gtest.h>

#include <QLineEdit>
#include <QSignalSpy>

#include "gui_test_support.hpp"
#include "memory_hierarchy_model.hpp"

namespace flashscope::gui {
namespace {

using test::settle;
using test::type_into;

TEST(InvalidField, HeadDimTooLargeIsMarkedAndResultKept) {
    MainWindow window;
    ASSERT_TRUE(settle(window));
    const auto before = window.controller()->snapshot()->selected.totals;
    const double shown = window.hierarchy_model()->amount(MemoryHierarchyModel::hbm_link, 1);
    QSignalSpy edited(window.panel(), &ParameterPanel::configuration_edited);

    type_into(*window.panel(), QStringLiteral("head_dim"), QStringLiteral("1000"));
    ASSERT_TRUE(settle(window));

    EXPECT_TRUE(window.panel()->marked_fields().contains(QStringLiteral("head_dim")));
    EXPECT_TRUE(
        window.panel()->field_widget(QStringLiteral("head_dim"))->property("invalid").toBool());
    EXPECT_TRUE(window.panel()->error_text().contains(
        QStringLiteral("head_dim = 1000: must be a whole number in [1, 256]")))
        << window.panel()->error_text().toStdString();
    EXPECT_EQ(window.panel()->field_widget(QStringLiteral("head_dim"))->toolTip(),
              window.panel()->error_text());
    EXPECT_EQ(window.controller()->snapshot()->selected.totals.hbm_read_bytes,
              before.hbm_read_bytes);
    EXPECT_EQ(window.controller()->snapshot()->config.problem.head_dim, 128);
    EXPECT_DOUBLE_EQ(window.hierarchy_model()->amount(MemoryHierarchyModel::hbm_link, 1), shown);

    type_into(*window.panel(), QStringLiteral("head_dim"), QStringLiteral("64"));
    ASSERT_TRUE(settle(window));
    EXPECT_FALSE(window.panel()->has_error());
    EXPECT_EQ(window.controller()->snapshot()->config.problem.head_dim, 64);
}

TEST(InvalidField, TileTooLargeForSramIsMarkedFromTheSimulator) {
    MainWindow window;
    ASSERT_TRUE(settle(window));
    const auto before = window.controller()->snapshot()->selected.totals.time_s;
    QSignalSpy failed(window.controller(), &SimulationController::simulation_failed);
    type_into(*window.panel(), QStringLiteral("stages"), QStringLiteral("4"));
    type_into(*window.panel(), QStringLiteral("block_m"), QStringLiteral("256"));
    type_into(*window.panel(), QStringLiteral("block_n"), QStringLiteral("256"));
    ASSERT_TRUE(settle(window));
    ASSERT_GE(failed.count(), 1);
    EXPECT_TRUE(window.panel()->marked_fields().contains(QStringLiteral("block_m")));
    EXPECT_TRUE(window.panel()->error_text().contains(QStringLiteral("shared memory")))
        << window.panel()->error_text().toStdString();
    EXPECT_DOUBLE_EQ(window.controller()->snapshot()->selected.totals.time_s, before);
    EXPECT_TRUE(window.status_text().contains(QStringLiteral("last valid result")));
}

TEST(InvalidField, KvHeadsThatDoNotDivideHeads) {
    MainWindow window;
    ASSERT_TRUE(settle(window));
    type_into(*window.panel(), QStringLiteral("kv_heads"), QStringLiteral("5"));
    EXPECT_EQ(window.panel()->marked_fields(), QStringList{QStringLiteral("kv_heads")});
    EXPECT_TRUE(window.panel()->error_text().contains(QStringLiteral("must divide heads")));
}

TEST(InvalidField, EmptyFieldAsksForANumber) {
    MainWindow window;
    ASSERT_TRUE(settle(window));
    type_into(*window.panel(), QStringLiteral("batch"), QString());
    EXPECT_TRUE(window.panel()->marked_fields().contains(QStringLiteral("batch")));
    EXPECT_TRUE(window.panel()->error_text().contains(QStringLiteral("whole number")));
}

}  // namespace
}  // namespace flashscope::gui
