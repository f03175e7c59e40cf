// Headless plots (flashscope plot): sweep, timeline and validation files read into the GUI's views,
// each kind drawn at the requested size, colours that follow the data, and the CLI end to end.
#include <gtest/gtest.h>

#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "flashscope/core/error.hpp"
#include "gui_test_support.hpp"
#include "headless_plot.hpp"
#include "plot_inputs.hpp"

namespace flashscope::gui {
namespace {

int run(const std::string& args) {
    const std::string command = std::string(FLASHSCOPE_CLI) + " " + args + " > /dev/null 2>&1";
    return WEXITSTATUS(std::system(command.c_str()));
}

std::string spec(const char* name) {
    return std::string(FLASHSCOPE_GUI_TEST_DATA) + "/plot/" + name;
}

// A sweep of one of data/plot/*.yaml, written by the real `flashscope sweep` into `dir`.
std::string swept(const QTemporaryDir& dir, const char* name, const char* format = "csv") {
    const std::string out = dir.filePath(QString::fromUtf8(name)).toStdString() + "." + format;
    EXPECT_EQ(run("sweep " + spec(name) + ".yaml -q --out " + out), 0) << name;
    return out;
}

int distinct_colours(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

bool near(QRgb pixel, QColor want) {
    return std::abs(qRed(pixel) - want.red()) <= 6 && std::abs(qGreen(pixel) - want.green()) <= 6 &&
           std::abs(qBlue(pixel) - want.blue()) <= 6;
}

TEST(PlotInputs, CsvAndJsonLinesOfOneSweepReadTheSame) {
    QTemporaryDir dir;
    const SweepTable csv = read_sweep_table(swept(dir, "tiles", "csv"));
    const SweepTable jsonl = read_sweep_table(swept(dir, "tiles", "jsonl"));
    ASSERT_EQ(csv.rows.size(), 16u);
    ASSERT_EQ(jsonl.rows.size(), csv.rows.size());
    for (std::size_t i = 0; i < csv.rows.size(); ++i) {
        for (const auto& column : configuration_columns()) {
            const std::string &a = csv.rows[i].at(column), &b = jsonl.rows[i].at(column);
            if (a != b) {  // 4096 in CSV may read 4.096E3 in JSON
                EXPECT_DOUBLE_EQ(std::stod(a), std::stod(b)) << column << " row " << i;
            }
        }
        EXPECT_EQ(csv.rows[i].at("status"), jsonl.rows[i].at("status"));
        if (csv.rows[i].ok()) {
            EXPECT_EQ(row_metrics(csv.rows[i]).hbm_read_bytes,
                      row_metrics(jsonl.rows[i]).hbm_read_bytes);
            const double t = row_metrics(jsonl.rows[i]).time_s;  // CSV keeps 9 significant digits
            EXPECT_NEAR(row_metrics(csv.rows[i]).time_s, t, 1e-8 * t);
            EXPECT_FALSE(jsonl.rows[i].kernels.empty());  // JSON lines carry each kernel
        }
    }
}

TEST(PlotInputs, FiltersKeepMatchingRowsAndRefuseUnknownColumns) {
    QTemporaryDir dir;
    const SweepTable table = read_sweep_table(swept(dir, "seq"));
    const auto two =
        filter_rows(table, {parse_row_filter("algo=naive,flash2"), parse_row_filter("seq_q=8192")});
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0].at("algo"), "naive");
    EXPECT_EQ(two[1].at("algo"), "flash2");
    EXPECT_THROW(parse_row_filter("head_dim"), ConfigError);
    EXPECT_THROW(filter_rows(table, {parse_row_filter("colour=red")}), ConfigError);
    EXPECT_THROW(filter_rows(table, {parse_row_filter("seq_q=3")}), ConfigError);  // nothing left
}

TEST(PlotInputs, HeatmapCellsShowTheFastestRowAndRefuseMixedProblems) {
    QTemporaryDir dir;
    const SweepTable table = read_sweep_table(swept(dir, "tiles"));
    try {
        tile_sweep_from_rows(table.rows);
        FAIL() << "two head dims in one heatmap";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "heatmap");
        EXPECT_NE(std::string(e.what()).find("head_dim (64, 128)"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--where head_dim=64"), std::string::npos) << e.what();
    }
    const auto rows = filter_rows(table, {parse_row_filter("head_dim=128")});
    std::string note;
    const TileSweep sweep = tile_sweep_from_rows(rows, &note);
    EXPECT_EQ(sweep.block_ms, (std::vector<std::int64_t>{64, 128}));
    EXPECT_EQ(sweep.block_ns, (std::vector<std::int64_t>{64, 128}));
    EXPECT_NE(note.find("fastest"), std::string::npos);
    for (const TileCell& cell : sweep.cells) {
        double fastest = INFINITY;
        for (const auto& row : rows)
            if (row.ok() && row.number("block_m") == double(cell.block_m) &&
                row.number("block_n") == double(cell.block_n))
                fastest = std::min(fastest, row.number("time_s"));
        EXPECT_EQ(cell.feasible, std::isfinite(fastest));
        if (cell.feasible) {
            EXPECT_DOUBLE_EQ(cell.totals.time_s, fastest);
        } else {
            EXPECT_FALSE(cell.reason.empty());
        }
    }
}

TEST(PlotInputs, ScalingFindsWhereNaiveStopsFitting) {
    QTemporaryDir dir;
    const SweepTable table = read_sweep_table(swept(dir, "seq"));
    const ScalingSweep sweep = scaling_from_rows(table.rows);
    EXPECT_EQ(sweep.seqs, (std::vector<std::int64_t>{2048, 8192, 32768, 65536}));
    std::int64_t limit = 0;
    for (const auto& row : table.rows)
        if (row.at("algo") == "naive" && row.at("fits_hbm") == "false" && limit == 0)
            limit = std::int64_t(row.number("seq_q"));
    EXPECT_EQ(sweep.naive_limit_seq, limit);
    EXPECT_GT(limit, 0);  // the sweep reaches past an 80 GB card
    EXPECT_EQ(sweep.hbm_capacity_bytes, sim::gpu_preset("h100-sxm5").hbm_size_bytes);
}

TEST(HeadlessPlot, EveryKindDrawsAPictureOfTheRequestedSize) {
    QTemporaryDir dir;
    const std::string tiles = swept(dir, "tiles"), seq = swept(dir, "seq");
    const std::string timeline = dir.filePath(QStringLiteral("timeline.csv")).toStdString();
    ASSERT_EQ(run("simulate --algo flash2 --seq 2048 --timeline " + timeline), 0);
    const struct {
        const char* kind;
        std::string input;
        std::vector<std::string> where;
    } cases[] = {
        {"heatmap", tiles, {"head_dim=128"}},
        {"scaling", seq, {}},
        {"roofline", seq, {"seq_q=8192"}},
        {"memory", seq, {"seq_q=8192", "algo=naive,flash2"}},
        {"timeline", timeline, {}},
        {"scatter", test::data_file("validation_sample.json").toStdString(), {}},
    };
    for (const auto& c : cases) {
        for (const char* suffix : {".png", ".svg"}) {
            PlotRequest request;
            request.kind = c.kind;
            request.input = c.input;
            request.output = dir.filePath(QString::fromUtf8(c.kind)).toStdString() + suffix;
            request.size = QSize(640, 400);
            for (const auto& w : c.where) request.where.push_back(parse_row_filter(w));
            ASSERT_NO_THROW(write_plot(request)) << c.kind;
            if (std::string(suffix) == ".png") {
                const QImage image(QString::fromStdString(request.output));
                EXPECT_EQ(image.size(), QSize(640, 400)) << c.kind;
                EXPECT_GT(distinct_colours(image), 20) << c.kind << " looks blank";
            } else {
                std::ifstream in(request.output);
                std::string head(200, '\0');
                in.read(head.data(), 200);
                EXPECT_NE(head.find("<svg"), std::string::npos) << c.kind;
            }
        }
    }
}

TEST(HeadlessPlot, HeatmapColoursFollowTheRows) {
    QTemporaryDir dir;
    const std::string csv = swept(dir, "tile_row");
    const SweepTable table = read_sweep_table(csv);
    // Expected colour per block_n, left to right: the viridis ends for the fastest and the slowest
    // feasible tile (the log scale spans exactly their times), grey where the simulator said no.
    std::vector<QColor> expected;
    double lo = INFINITY, hi = 0;
    for (const auto& row : table.rows)
        if (row.ok())
            lo = std::min(lo, row.number("time_s")), hi = std::max(hi, row.number("time_s"));
    ASSERT_LT(lo, hi) << "the fixture needs two feasible tiles of different time";
    for (const auto& row : table.rows) {
        if (!row.ok())
            expected.emplace_back(0xd9, 0xd9, 0xd9);
        else if (row.number("time_s") == lo)
            expected.emplace_back(0x44, 0x01, 0x54);
        else if (row.number("time_s") == hi)
            expected.emplace_back(0xfd, 0xe7, 0x25);
    }
    ASSERT_EQ(expected.size(), 3u)
        << "tile_row.yaml should give a fastest, a slowest and a rejected tile";

    PlotRequest request;
    request.kind = "heatmap";
    request.input = csv;
    request.output = dir.filePath(QStringLiteral("row.png")).toStdString();
    write_plot(request);
    const QImage image(QString::fromStdString(request.output));
    ASSERT_EQ(image.size(), QSize(1200, 720));
    // Along the middle row of pixels, runs of at least 40 pixels of a known colour, in order.
    std::vector<QColor> seen;
    const int y = image.height() / 2;
    int run_length = 0;
    for (int x = 1; x < image.width(); ++x) {
        run_length = image.pixel(x, y) == image.pixel(x - 1, y) ? run_length + 1 : 0;
        if (run_length != 40) continue;
        for (const QColor& c :
             {QColor(0xd9, 0xd9, 0xd9), QColor(0x44, 0x01, 0x54), QColor(0xfd, 0xe7, 0x25)})
            if (near(image.pixel(x, y), c)) seen.push_back(c);
    }
    EXPECT_EQ(seen, expected);
}

TEST(HeadlessPlot, BadRequestsAreRefusedNamingTheField) {
    QTemporaryDir dir;
    const std::string seq = swept(dir, "seq");
    const auto field = [&](PlotRequest r) {
        r.output =
            r.output.empty() ? dir.filePath(QStringLiteral("x.png")).toStdString() : r.output;
        try {
            write_plot(r);
        } catch (const ConfigError& e) {
            return e.field();
        }
        return std::string("no error");
    };
    EXPECT_EQ(field({"pie", seq, "", {}, "", {}, false}), "kind");
    EXPECT_EQ(field({"heatmap", seq, "x.jpg", {}, "", {}, false}), "out");
    EXPECT_EQ(field({"heatmap", seq, "", {}, "occupancy", {}, false}), "metric");
    EXPECT_EQ(field({"memory", seq, "", {}, "", {}, false}),
              "memory");  // several problems and algorithms
    EXPECT_EQ(field({"timeline", seq, "", {}, "", {}, false}), "sweep file");  // not a timeline CSV
    EXPECT_EQ(field({"scaling", "/nonexistent.csv", "", {}, "", {}, false}), "input");
    EXPECT_THROW(parse_plot_size("12x"), ConfigError);
    EXPECT_EQ(parse_plot_size("800x600"), QSize(800, 600));
}

TEST(HeadlessPlot, SweepWithPlotDrawsThePictureThroughTheCommandLine) {
    QTemporaryDir dir;
    const std::string csv = dir.filePath(QStringLiteral("s.csv")).toStdString();
    const std::string png = dir.filePath(QStringLiteral("s.png")).toStdString();
    ASSERT_EQ(run("sweep " + spec("seq.yaml") + " -q --out " + csv + " --plot " + png), 0);
    EXPECT_EQ(QImage(QString::fromStdString(png)).size(), QSize(1200, 720));
    const std::string svg = dir.filePath(QStringLiteral("p.svg")).toStdString();
    ASSERT_EQ(run("plot heatmap " + csv + " -o " + svg), 2);  // seq varies: not a heatmap (usage)
    ASSERT_EQ(run("plot roofline " + csv + " --where seq_q=2048 -o " + svg + " --size 500x300"), 0);
    std::ifstream in(svg);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("viewBox=\"0 0 500 300\""), std::string::npos);
}

}  // namespace
}  // namespace flashscope::gui
