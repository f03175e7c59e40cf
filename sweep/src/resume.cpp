#include "flashscope/sweep/resume.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "flashscope/sweep/row_reader.hpp"

namespace flashscope::sweep {

ExistingRows read_existing_rows(const std::string& path, const RowContext& context,
                                const std::vector<SweepPoint>& points, const Shard& shard) {
    ExistingRows existing;
    if (!std::filesystem::exists(path)) return existing;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ResumeError(path + ": cannot read the file to resume");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    const OutputFormat format = context.format;
    if (format == OutputFormat::csv && text.starts_with("{"))
        throw ResumeError(path + ": holds JSON lines; resume it with --format jsonl");
    if (format == OutputFormat::jsonl && text.starts_with("id,"))
        throw ResumeError(path + ": holds CSV; resume it with --format csv");
    const std::string header = file_header(format);
    std::size_t pos = 0;
    std::int64_t line_no = 0;
    if (!header.empty() && !text.empty()) {
        if (text.compare(0, header.size(), header) != 0)
            throw ResumeError(
                path +
                ":1: the header is not this version's sweep CSV header (another version "
                "of flashscope or another program wrote the file); use another --out, or delete " +
                path + " to start over");
        pos = header.size();
        line_no = 1;
    }
    const auto total = static_cast<std::int64_t>(points.size());
    const std::string start_over = "use another --out, or delete " + path + " to start over";
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) break;  // an incomplete last line: compute its point again
        ++line_no;
        const std::string line = text.substr(pos, end - pos + 1);
        pos = end + 1;
        const std::string where = path + ":" + std::to_string(line_no) + ": ";
        SweepRow row;
        try {
            row = read_row(std::string_view(line).substr(0, line.size() - 1), format);
        } catch (const RowError& e) {
            throw ResumeError(where + "not a well-formed sweep row: " + e.what() +
                              "; delete that line (its point is simulated again), or " +
                              start_over);
        }
        if (row.sweep_id != context.sweep_id)
            throw ResumeError(where + "the row is of sweep " + row.sweep_id +
                              ", this run's sweep is " + context.sweep_id +
                              ": the file was written from another sweep file, or the sweep "
                              "file, a GPU file it names or flashscope's model changed since; " +
                              start_over);
        if (row.points != total || row.id != points[static_cast<std::size_t>(row.index)].id)
            throw ResumeError(where + "point " + row.id + " at index " + std::to_string(row.index) +
                              " of " + std::to_string(row.points) +
                              " is not this sweep's point there, although the row "
                              "carries its sweep_id (was the row edited?); delete that line, or " +
                              start_over);
        if (!shard.owns(row.index))
            throw ResumeError(where + "point index " + std::to_string(row.index) +
                              " belongs to another shard than " + std::to_string(shard.index) +
                              "/" + std::to_string(shard.count) +
                              "; give the --shard that wrote the file, or " + start_over);
        if (!existing.rows.add(row.index, line))
            throw ResumeError(where + "point " + row.id + " (index " + std::to_string(row.index) +
                              ") appears twice; delete one of the two lines");
        if (row.status != RowStatus::ok) ++existing.not_ok;
    }
    return existing;
}

}  // namespace flashscope::sweep
