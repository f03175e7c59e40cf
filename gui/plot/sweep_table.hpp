#pragma once
// The rows of a `flashscope sweep` output file, CSV or JSON lines, as text cells under simulate's
// CSV column names (gpu, algo, model, pass, ..., stages, then hbm_read_bytes ... fits_hbm) plus
// status and reason, so every plot reads both formats the same way. An ok row holds the tile the
// simulator resolved; a row that did not simulate holds the requested configuration.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flashscope::gui {

struct SweepRow {
    std::int64_t line = 0;  // in the file, for messages
    std::map<std::string, std::string> cells;
    // JSON lines only: each kernel's fields (name, the metrics, bottleneck) of an ok row.
    std::vector<std::map<std::string, std::string>> kernels;

    const std::string& at(const std::string& column) const;  // throws ConfigError naming the column
    double number(const std::string& column) const;  // NaN for an empty cell; throws for text
    bool ok() const { return at("status") == "ok"; }
};

struct SweepTable {
    std::string origin;
    std::vector<SweepRow> rows;
};

// Throws ConfigError (field "sweep file", value FILE:LINE) for a file that is not a sweep's output.
SweepTable read_sweep_table(const std::string& path);  // JSON lines when it starts with '{'
SweepTable parse_sweep_csv(std::string_view text, const std::string& origin);
SweepTable parse_sweep_jsonl(std::string_view text, const std::string& origin);
// Any CSV with a header holding `required`; `writer` names the command that writes it, for
// messages.
SweepTable parse_csv_rows(std::string_view text, const std::string& origin,
                          const std::vector<std::string>& required, const std::string& writer);

// The configuration columns of a row, outermost first: gpu, model, algo, ..., warps, stages.
const std::vector<std::string>& configuration_columns();

// --where COLUMN=VALUE[,VALUE...]: keeps the rows whose cell equals one of the values (numerically
// when both are numbers).
struct RowFilter {
    std::string column;
    std::vector<std::string> values;
    bool matches(const std::string& cell) const;
};
RowFilter parse_row_filter(const std::string& text);  // throws ConfigError naming "where"
// Throws ConfigError for an unknown column, or when no row is left.
std::vector<SweepRow> filter_rows(const SweepTable& table, const std::vector<RowFilter>& filters);

// Configuration columns whose values differ among `rows` (values in first-seen order), leaving out
// `allowed`. Used to refuse a plot that would mix, say, two head dims into one picture.
std::map<std::string, std::vector<std::string>> varying_columns(
    const std::vector<SweepRow>& rows, const std::vector<std::string>& allowed);
// Throws ConfigError naming the varying columns, their values and the --where that picks one.
void require_single_valued(const std::vector<SweepRow>& rows,
                           const std::vector<std::string>& allowed, const std::string& plot);

}  // namespace flashscope::gui
