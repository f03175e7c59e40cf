#include "flashscope/sweep/resume.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace flashscope::sweep {

RowStore read_existing_rows(const std::string& path, OutputFormat format,
                            const std::vector<SweepPoint>& points, const Shard& shard) {
    RowStore store;
    if (!std::filesystem::exists(path)) return store;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ResumeError(path + ": cannot read the file to resume");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    if (format == OutputFormat::csv && text.starts_with("{"))
        throw ResumeError(path + ": holds JSON lines; resume it with --format jsonl");
    if (format == OutputFormat::jsonl && text.starts_with(file_header(OutputFormat::csv)))
        throw ResumeError(path + ": holds CSV; resume it with --format csv");
    const std::string header = file_header(format);
    std::size_t pos = 0;
    std::int64_t line_no = 0;
    if (!header.empty() && !text.empty()) {
        if (text.compare(0, header.size(), header) != 0)
            throw ResumeError(path + ":1: the header is not this version's sweep CSV header "
                              "(another format or program wrote it); use another --out");
        pos = header.size();
        line_no = 1;
    }
    const auto total = static_cast<std::int64_t>(points.size());
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) break;  // an incomplete last line: compute its point again
        ++line_no;
        const std::string line = text.substr(pos, end - pos + 1);
        pos = end + 1;
        const std::string where = path + ":" + std::to_string(line_no) + ": ";
        RowKey key;
        try {
            key = parse_row_key(std::string_view(line).substr(0, line.size() - 1), format);
        } catch (const std::exception& e) {
            throw ResumeError(where + e.what());
        }
        if (key.points != total || key.id != points[static_cast<std::size_t>(key.index)].id)
            throw ResumeError(where + "point " + key.id + " (index " + std::to_string(key.index) + " of " +
                              std::to_string(key.points) + ") is not in this sweep; was the file written "
                              "from another sweep file?");
        if (!shard.owns(key.index))
            throw ResumeError(where + "point index " + std::to_string(key.index) + " belongs to another shard than " +
                              std::to_string(shard.index) + "/" + std::to_string(shard.count));
        if (!store.add(key.index, line))
            throw ResumeError(where + "point " + key.id + " (index " + std::to_string(key.index) + ") appears twice");
    }
    return store;
}

}  // namespace flashscope::sweep
