// The sweep engine for flashscope.sweep(): a sweep file (or its text) in, the rows of
// `flashscope sweep --format csv` out, simulated on `jobs` threads without the GIL. Ctrl-C (a
// notebook's interrupt) lets running points finish, starts no new one and raises KeyboardInterrupt.
#include <nanobind/stl/string.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sweep/cpu_count.hpp"
#include "flashscope/sweep/engine.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/row_format.hpp"
#include "flashscope/sweep/sweep_identity.hpp"
#include "flashscope/sweep/sweep_spec.hpp"

namespace nb = nanobind;

namespace flashscope::python {
namespace {

class MemorySink : public sweep::RowSink {
public:
    void add(std::int64_t index, std::string line) override {
        m_rows.emplace_back(index, std::move(line));
    }
    void finish() override { std::sort(m_rows.begin(), m_rows.end()); }
    std::string text(const std::string& header) const {
        std::string out = header;
        for (const auto& row : m_rows) out += row.second;
        return out;
    }

private:
    std::vector<std::pair<std::int64_t, std::string>> m_rows;
};

std::string run_csv(const sweep::SweepSpec& spec, std::int64_t jobs) {
    if (jobs < 0)
        throw ConfigError("jobs", std::to_string(jobs), "must be at least 1 (0 = every core)");
    const std::vector<sweep::SweepPoint> points = sweep::expand(spec);
    std::vector<std::int64_t> todo(points.size());
    for (std::size_t i = 0; i < todo.size(); ++i) todo[i] = static_cast<std::int64_t>(i);
    MemorySink sink;
    std::atomic<bool> stop{false};
    std::unique_ptr<nb::python_error> interrupted;
    {
        nb::gil_scoped_release release;
        const sweep::RowContext context{static_cast<std::int64_t>(points.size()),
                                        sweep::sweep_identity(spec, points),
                                        sweep::OutputFormat::csv};
        sweep::run_points(
            spec, points, todo, context, jobs > 0 ? jobs : sweep::usable_cpu_count(), sink,
            [&](std::int64_t) {
                if (interrupted) return;
                nb::gil_scoped_acquire acquire;
                if (PyErr_CheckSignals() != 0) {
                    interrupted = std::make_unique<nb::python_error>();
                    stop = true;
                }
            },
            &stop);
        sink.finish();
    }
    if (interrupted) {
        interrupted->restore();
        throw nb::python_error();
    }
    return sink.text(sweep::file_header(sweep::OutputFormat::csv));
}

}  // namespace

void bind_sweep(nb::module_& m) {
    m.def(
        "_sweep_csv_file",
        [](const std::string& path, std::int64_t jobs) {
            return run_csv(sweep::load_sweep_spec(path), jobs);
        },
        nb::arg("path"), nb::arg("jobs"));
    m.def(
        "_sweep_csv_text",
        [](const std::string& yaml_text, const std::string& origin, std::int64_t jobs) {
            return run_csv(sweep::parse_sweep_spec(yaml_text, origin), jobs);
        },
        nb::arg("yaml_text"), nb::arg("origin"), nb::arg("jobs"));
    m.def("_sweep_csv_columns", &sweep::sweep_csv_columns);
}

}  // namespace flashscope::python
