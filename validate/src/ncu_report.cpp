#include "flashscope/validate/ncu_report.hpp"

#include <fstream>
#include <optional>
#include <sstream>

#include "flashscope/core/error.hpp"
#include "ncu_text.hpp"

namespace flashscope::validate {
namespace {

using detail::csv_fields;

class Columns {
public:
    explicit Columns(std::vector<std::string> names) : m_names(std::move(names)) {}
    std::optional<std::size_t> find(std::string_view name) const {
        for (std::size_t i = 0; i < m_names.size(); ++i)
            if (m_names[i] == name) return i;
        return std::nullopt;
    }
    const std::string& name(std::size_t i) const { return m_names[i]; }
    std::size_t size() const { return m_names.size(); }

private:
    std::vector<std::string> m_names;
};

struct Reader {
    const std::string& origin;
    std::int64_t line_number = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw ConfigError("ncu report", origin + ":" + std::to_string(line_number), what);
    }
    std::size_t require(const Columns& columns, std::string_view name) const {
        const auto i = columns.find(name);
        if (!i)
            fail("the header has no \"" + std::string(name) +
                 "\" column (is this a report of ncu --csv?)");
        return *i;
    }
    std::int64_t launch_id(const std::string& text) const {
        const auto id = detail::ncu_number(text);
        if (!id || *id < 0 || *id != double(std::int64_t(*id)))
            fail("ID '" + text + "' is not a launch number");
        return std::int64_t(*id);
    }
    // Stores `text` (in `unit`) as metric `name` of `kernel`, in base units.
    void store(NcuKernel& kernel, const std::string& name, const std::string& text,
               const std::string& unit) const {
        const auto number = detail::ncu_number(text);
        if (!number) {
            if (!text.empty() && text != "n/a") kernel.texts[name] = text;
            return;
        }
        const auto scale = detail::ncu_unit(unit);
        if (!scale) {  // fine for a metric flashscope does not use (register/thread, ...)
            kernel.unread_units[name] = unit;
            return;
        }
        kernel.metrics[name] = {*number * scale->scale, unit};
    }
};

bool is_skipped(std::string_view line) {
    return line.empty() || line == "\r" || line.starts_with("==") || line.starts_with("#");
}

bool is_metric_column(const std::string& name) {
    return name.find("__") != std::string::npos;
}

void fill_launch(NcuKernel& kernel, const Columns& columns, const std::vector<std::string>& row) {
    if (const auto cc = columns.find("CC")) kernel.compute_capability = row[*cc];
}

}  // namespace

NcuReport parse_ncu_csv(std::string_view text, const std::string& origin) {
    NcuReport report;
    report.origin = origin;
    Reader reader{origin};
    std::optional<Columns> columns;
    bool units_pending = false;
    std::vector<std::string> units;
    std::map<std::int64_t, std::size_t> by_id;  // details page: launch ID -> kernel

    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++reader.line_number;
        if (is_skipped(line)) continue;
        if (!columns) {  // before the table: anything but its header is skipped
            if (!line.starts_with("\"ID\",") && !line.starts_with("ID,")) continue;
            auto fields = csv_fields(line);
            if (!fields) continue;
            columns.emplace(std::move(*fields));
            reader.require(*columns, "ID");
            reader.require(*columns, "Kernel Name");
            report.page = columns->find("Metric Name") ? NcuPage::details : NcuPage::raw;
            if (report.page == NcuPage::details) {
                reader.require(*columns, "Metric Unit");
                reader.require(*columns, "Metric Value");
            }
            units_pending = report.page == NcuPage::raw;
            continue;
        }
        auto fields = csv_fields(line);
        if (!fields) reader.fail("a quote is not closed");
        if (fields->size() != columns->size())
            reader.fail("a row of " + std::to_string(fields->size()) +
                        " fields under a header of " + std::to_string(columns->size()));
        const std::vector<std::string>& row = *fields;
        const std::string& id_text = row[*columns->find("ID")];
        if (report.page == NcuPage::raw) {
            if (units_pending && id_text.empty()) {  // the units row
                units = row;
                units_pending = false;
                continue;
            }
            units_pending = false;
            NcuKernel kernel;
            kernel.id = reader.launch_id(id_text);
            kernel.name = row[*columns->find("Kernel Name")];
            kernel.line = reader.line_number;
            fill_launch(kernel, *columns, row);
            for (std::size_t i = 0; i < columns->size(); ++i)
                if (is_metric_column(columns->name(i)))
                    reader.store(kernel, columns->name(i), row[i],
                                 units.empty() ? std::string() : units[i]);
            report.kernels.push_back(std::move(kernel));
            continue;
        }
        const std::int64_t id = reader.launch_id(id_text);
        const std::string& metric = row[*columns->find("Metric Name")];
        auto [it, fresh] = by_id.try_emplace(id, report.kernels.size());
        if (fresh) {
            NcuKernel kernel;
            kernel.id = id;
            kernel.name = row[*columns->find("Kernel Name")];
            kernel.line = reader.line_number;
            fill_launch(kernel, *columns, row);
            report.kernels.push_back(std::move(kernel));
        }
        NcuKernel& kernel = report.kernels[it->second];
        if (metric.empty() || kernel.metrics.count(metric) || kernel.texts.count(metric) ||
            kernel.unread_units.count(metric))
            continue;
        reader.store(kernel, metric, row[*columns->find("Metric Value")],
                     row[*columns->find("Metric Unit")]);
    }
    if (!columns)
        throw ConfigError(
            "ncu report", origin,
            "no table: expected the CSV header of ncu --csv (\"ID\",...,\"Kernel Name\",...)");
    return report;
}

NcuReport read_ncu_report(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("ncu", path, "cannot open the report");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_ncu_csv(text.str(), path);
}

std::string short_kernel_name(const std::string& name) {
    std::string s = name;
    // The parameter list: the parenthesis that closes the name, matched backwards.
    if (!s.empty() && s.back() == ')') {
        int depth = 0;
        for (std::size_t i = s.size(); i-- > 0;) {
            if (s[i] == ')')
                ++depth;
            else if (s[i] == '(' && --depth == 0) {
                s.erase(i);
                break;
            }
        }
    }
    std::string out;
    int depth = 0;  // template arguments
    for (const char c : s) {
        if (c == '<')
            ++depth;
        else if (c == '>')
            depth = std::max(0, depth - 1);
        else if (depth == 0)
            out += c;
    }
    if (out.starts_with("void ")) out.erase(0, 5);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out.empty() ? name : out;
}

}  // namespace flashscope::validate
