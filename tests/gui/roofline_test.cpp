// The hierarchical roofline: each memory level's point sits at FLOP per byte of that level, and a
// kernel without tensor-core work is set against the FP32/SFU roof of its own mix, not the
// tensor-core peak. The view draws exactly those positions and its labels never collide.
#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <cmath>
#include <map>

#include "flashscope/sim/simulate.hpp"
#include "label_placer.hpp"
#include "roofline_model.hpp"
#include "roofline_view.hpp"

namespace flashscope::gui {
namespace {

const sim::GpuSpec& gpu() {
    static const sim::GpuSpec g = sim::gpu_preset("h100-sxm5");
    return g;
}

// The cycle model, so that L2 serves re-reads and HBM, L2 and SRAM bytes all differ.
std::vector<sim::Result> simulate_all(Pass pass, bool causal) {
    std::vector<sim::Result> results;
    for (auto algorithm : {Algorithm::naive, Algorithm::flash1, Algorithm::flash2}) {
        if (pass == Pass::bwd && algorithm == Algorithm::flash1) continue;
        sim::SimulationRequest req;
        req.gpu = gpu();
        req.problem.batch = 1;
        req.problem.heads = 8;
        req.problem.kv_heads = 8;
        req.problem.seq_q = req.problem.seq_k = 1024;
        req.problem.head_dim = 128;
        req.problem.causal = causal;
        req.problem.pass = pass;
        req.algorithm = algorithm;
        req.model = sim::Model::cycle;
        results.push_back(sim::simulate(req));
    }
    return results;
}

double per_sm_clock(double per_clk) {
    return per_clk * static_cast<double>(gpu().sm_count) * gpu().sm_clock_hz;
}

// Each result kernel by name, with the expected bytes per level straight from the simulator.
struct Expected {
    double flops;  // what the roof bounds: matmul FLOP, or softmax FLOP without tensor work
    std::array<double, 3> bytes;
    double time_s;
};
std::map<QString, Expected> expected_by_kernel(const std::vector<sim::Result>& results) {
    std::map<QString, Expected> out;
    for (const auto& r : results)
        for (const auto& k : r.kernels) {
            const auto& m = k.metrics;
            out[QString::fromStdString(k.name)] = {
                m.flops_matmul > 0 ? m.flops_matmul : m.flops_softmax,
                {double(m.hbm_read_bytes + m.hbm_write_bytes),
                 double(m.l2_read_bytes + m.l2_write_bytes),
                 double(m.sram_read_bytes + m.sram_write_bytes)},
                m.time_s};
        }
    return out;
}

const RooflinePoint& point_named(const RooflineModel& model, const char* kernel) {
    for (const auto& p : model.points())
        if (p.kernel == QLatin1String(kernel)) return p;
    throw std::runtime_error(std::string("no roofline point for ") + kernel);
}

TEST(RooflineModel, EachLevelsIntensityDividesByThatLevelsBytes) {
    const auto results = simulate_all(Pass::fwd, false);
    RooflineModel model;
    model.set_results(gpu(), results, Algorithm::flash2);
    const auto expected = expected_by_kernel(results);
    ASSERT_EQ(model.points().size(), expected.size());
    for (const auto& p : model.points()) {
        const Expected& e = expected.at(p.kernel);
        for (auto level : k_memory_levels) {
            const double want = e.flops / e.bytes[static_cast<std::size_t>(level)];
            EXPECT_NEAR(p.intensity(level), want, want * 1e-12)
                << p.kernel.toStdString() << " " << level_name(level).toStdString();
        }
        EXPECT_NEAR(p.flops_per_s(), e.flops / e.time_s, e.flops / e.time_s * 1e-12);
    }
    // The levels really differ here, so a point drawn at the wrong level's bytes would be caught.
    const auto& flash2 = point_named(model, "flash2_fwd");
    EXPECT_GT(flash2.intensity(MemoryLevel::hbm), 2 * flash2.intensity(MemoryLevel::l2));
    EXPECT_GT(flash2.intensity(MemoryLevel::l2), 2 * flash2.intensity(MemoryLevel::sram));
}

TEST(RooflineModel, TensorKernelsSitUnderTheTensorPeakWithTheirMatmulFlop) {
    const auto results = simulate_all(Pass::fwd, true);
    RooflineModel model;
    model.set_results(gpu(), results, Algorithm::flash2);
    const double tensor_peak = per_sm_clock(gpu().tensor_flops_per_clk(DType::bf16));
    EXPECT_DOUBLE_EQ(model.peak_flops_per_s(), tensor_peak);
    for (const char* name : {"naive_qk", "naive_pv", "flash1_fwd", "flash2_fwd"}) {
        const auto& p = point_named(model, name);
        EXPECT_EQ(p.roof, ComputeRoof::tensor) << name;
        EXPECT_DOUBLE_EQ(p.roof_flops_per_s, tensor_peak) << name;
        EXPECT_LE(p.flops_per_s(), tensor_peak * 1.0001) << name;
    }
}

TEST(RooflineModel, SoftmaxIsSetAgainstItsFp32SfuRoofNotTheTensorPeak) {
    const auto results = simulate_all(Pass::fwd, false);
    RooflineModel model;
    model.set_results(gpu(), results, Algorithm::flash2);
    const auto& softmax = point_named(model, "naive_softmax");
    const double fp32_peak = per_sm_clock(gpu().fp32_flops_per_clk);
    const double sfu_peak = per_sm_clock(gpu().sfu_ops_per_clk);
    EXPECT_EQ(softmax.roof, ComputeRoof::fp32_sfu);
    // Exponentials and FP32 FLOP mixed: slower than pure FP32, faster than pure SFU work.
    EXPECT_LT(softmax.roof_flops_per_s, fp32_peak);
    EXPECT_GT(softmax.roof_flops_per_s, sfu_peak);
    EXPECT_LT(softmax.roof_flops_per_s, model.peak_flops_per_s() / 10);
    EXPECT_LE(softmax.flops_per_s(), softmax.roof_flops_per_s);
    // The roof in float64 from the documented mix: 5 FLOP per score, the exponential one of them
    // (docs/MODEL.md; a 1024-key row is held in registers, one exponential per score), FP32 and
    // SFU pipes running side by side.
    const double scores = 8.0 * 1024 * 1024;
    const double fp32 = 4 * scores, exps = 1 * scores;
    EXPECT_DOUBLE_EQ(softmax.flops, fp32 + exps);
    const double reference = (fp32 + exps) / std::max(fp32 / fp32_peak, exps / sfu_peak);
    EXPECT_NEAR(softmax.roof_flops_per_s, reference, reference * 1e-12);
}

TEST(RooflineModel, AnExponentialFreeKernelGetsThePlainFp32Peak) {
    const auto results = simulate_all(Pass::bwd, true);
    RooflineModel model;
    model.set_results(gpu(), results, Algorithm::flash2);
    const auto& preprocess = point_named(model, "flash2_bwd_preprocess");  // D = rowsum(dO * O)
    EXPECT_EQ(preprocess.roof, ComputeRoof::fp32_sfu);
    EXPECT_DOUBLE_EQ(preprocess.roof_flops_per_s, per_sm_clock(gpu().fp32_flops_per_clk));
}

// The view's marker graphs carry "<algorithm> per <level> byte" as their name.
const QCPGraph* graph_named(const QCustomPlot& plot, const QString& name) {
    for (int i = 0; i < plot.graphCount(); ++i)
        if (plot.graph(i)->name() == name) return plot.graph(i);
    return nullptr;
}

TEST(RooflineView, DrawsEachLevelsMarkerAtThatLevelsIntensity) {
    const auto results = simulate_all(Pass::fwd, false);
    RooflineModel model;
    RooflineView view(&model);
    model.set_results(gpu(), results, Algorithm::flash2);
    const auto& plot = *qobject_cast<QCustomPlot*>(view.picture_widget());
    const auto expected = expected_by_kernel(results);
    for (const auto& r : results) {
        for (auto level : k_memory_levels) {
            const QString name =
                QStringLiteral("%1 per %2 byte")
                    .arg(QString::fromUtf8(to_string(r.algorithm)), level_name(level));
            const QCPGraph* graph = graph_named(plot, name);
            ASSERT_NE(graph, nullptr) << name.toStdString();
            ASSERT_EQ(graph->data()->size(), static_cast<int>(r.kernels.size()))
                << name.toStdString();
            auto it = graph->data()->constBegin();
            std::vector<double> drawn, want;
            for (; it != graph->data()->constEnd(); ++it) drawn.push_back(it->key);
            for (const auto& k : r.kernels) {
                const Expected& e = expected.at(QString::fromStdString(k.name));
                want.push_back(e.flops / e.bytes[static_cast<std::size_t>(level)]);
            }
            std::sort(want.begin(), want.end());  // the graph keeps its data sorted by x
            for (std::size_t i = 0; i < want.size(); ++i)
                EXPECT_NEAR(drawn[i], want[i], want[i] * 1e-12) << name.toStdString();
        }
    }
}

TEST(RooflineView, DrawsTheSoftmaxRoofAtItsFp32SfuValue) {
    RooflineModel model;
    RooflineView view(&model);
    model.set_results(gpu(), simulate_all(Pass::fwd, false), Algorithm::flash2);
    const auto& plot = *qobject_cast<QCustomPlot*>(view.picture_widget());
    const double roof = point_named(model, "naive_softmax").roof_flops_per_s;
    int flat_lines_at_roof = 0;
    for (int i = 0; i < plot.graphCount(); ++i) {
        const auto* data = plot.graph(i)->data().data();
        if (data->size() != 2) continue;
        const double y0 = data->at(0)->value, y1 = data->at(1)->value;
        if (std::abs(y0 / roof - 1) < 1e-12 && std::abs(y1 / roof - 1) < 1e-12)
            ++flat_lines_at_roof;
    }
    EXPECT_EQ(flat_lines_at_roof, 1);
}

// At 1280x720, as exported: no label or note overlaps another or a marker, all inside the axes.
TEST(RooflineView, LabelsCoverNoMarkerAndNoOtherLabelAt1280x720) {
    for (const auto& [pass, causal] : {std::pair{Pass::fwd, false}, std::pair{Pass::bwd, true}}) {
        RooflineModel model;
        RooflineView view(&model);
        model.set_results(gpu(), simulate_all(pass, causal), Algorithm::flash2);
        auto& plot = *qobject_cast<QCustomPlot*>(view.picture_widget());
        std::vector<QRectF> labels, markers;
        QRectF axes;
        QObject::connect(&plot, &QCustomPlot::afterLayout, &plot, [&] {
            labels = view.labels().placed_rects();
            markers = view.labels().marker_rects();
            axes = plot.axisRect()->rect();
        });
        plot.toPixmap(1280, 720);
        const std::size_t kernels = model.points().size();
        ASSERT_GE(labels.size(), kernels + 2);  // every kernel, the tensor peak, a FP32/SFU roof
        for (std::size_t i = 0; i < labels.size(); ++i) {
            EXPECT_TRUE(axes.contains(labels[i])) << "label " << i;
            for (std::size_t j = i + 1; j < labels.size(); ++j)
                EXPECT_FALSE(labels[i].intersects(labels[j])) << "labels " << i << " and " << j;
            for (const auto& m : markers)
                EXPECT_FALSE(labels[i].intersects(m)) << "label " << i << " covers a marker";
        }
    }
}

}  // namespace
}  // namespace flashscope::gui
