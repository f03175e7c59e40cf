#include "flashscope/sweep/merge.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "flashscope/sweep/row_format.hpp"
#include "flashscope/sweep/row_reader.hpp"
#include "flashscope/sweep/row_store.hpp"

namespace flashscope::sweep {
namespace {

constexpr std::size_t k_listed = 10;  // points named in a message before "and N more"

struct Seen {
    std::string id;
    std::string where;  // file:line
};

constexpr const char* k_rerun = "fix or delete that line and run its shard again with --resume";

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw MergeError(path + ": cannot read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// nullopt for an empty file (a shard that had no points, in either format).
std::optional<OutputFormat> format_of(const std::string& path, const std::string& text) {
    if (text.empty()) return std::nullopt;
    if (text.starts_with(file_header(OutputFormat::csv))) return OutputFormat::csv;
    if (text.front() == '{') return OutputFormat::jsonl;
    if (text.starts_with("id,"))
        throw MergeError(
            path +
            ":1: the header is not this version's sweep CSV header (another version of "
            "flashscope wrote the file?); run its shard again with this version");
    throw MergeError(path + ":1: not a sweep output (neither the sweep CSV header nor JSON lines)");
}

// The first k_listed of `count` items (items holds at least those), then "and N more".
std::string listed(const std::vector<std::string>& items, const char* separator,
                   std::size_t count) {
    std::string s;
    for (std::size_t i = 0; i < items.size() && i < k_listed; ++i)
        s += (i ? separator : "") + items[i];
    if (count > k_listed)
        s += std::string(separator) + "and " + std::to_string(count - k_listed) + " more";
    return s;
}
std::string listed(const std::vector<std::string>& items, const char* separator) {
    return listed(items, separator, items.size());
}

}  // namespace

MergeResult merge_shard_files(const std::vector<std::string>& paths) {
    if (paths.empty()) throw MergeError("merge: no shard files given");
    for (std::size_t i = 0; i < paths.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (paths[i] == paths[j]) throw MergeError("merge: " + paths[i] + " is given twice");
    std::optional<OutputFormat> format;
    std::optional<std::int64_t> total;
    std::optional<Seen> first;  // the first row: its sweep_id (in `id`) is every row's
    std::map<std::int64_t, Seen> seen;
    std::map<std::string, std::int64_t> index_of;  // point id -> its index
    RowStore store;
    std::vector<std::string> doubled;
    for (const std::string& path : paths) {
        const std::string text = read_whole(path);
        const std::optional<OutputFormat> file_format = format_of(path, text);
        if (!file_format) continue;
        if (format && *format != *file_format)
            throw MergeError(path + ": mixes CSV and JSON-lines shard files");
        format = file_format;
        std::size_t pos =
            file_format == OutputFormat::csv ? file_header(OutputFormat::csv).size() : 0;
        std::int64_t line_no = file_format == OutputFormat::csv ? 1 : 0;
        while (pos < text.size()) {
            std::size_t end = text.find('\n', pos);
            if (end == std::string::npos) end = text.size();  // tolerate a missing final newline
            ++line_no;
            const std::string line = text.substr(pos, end - pos) + "\n";
            pos = end + 1;
            const std::string where = path + ":" + std::to_string(line_no);
            SweepRow key;
            try {
                key = read_row(std::string_view(line).substr(0, line.size() - 1), *file_format);
            } catch (const RowError& e) {
                throw MergeError(where + ": not a well-formed sweep row: " + e.what() + "; " +
                                 k_rerun);
            }
            if (!first) first = Seen{key.sweep_id, where};
            if (key.sweep_id != first->id)
                throw MergeError(
                    where + ": the row is of sweep " + key.sweep_id + " but " + first->where +
                    " is of sweep " + first->id +
                    ": files of different sweeps (another sweep file, "
                    "or one changed between the shards' runs); merge the shards of one sweep");
            if (total && *total != key.points)
                throw MergeError(where + ": the row's sweep has " + std::to_string(key.points) +
                                 " points, earlier rows' " + std::to_string(*total) +
                                 ": files of different sweeps");
            total = key.points;
            const auto [it, inserted] = seen.emplace(key.index, Seen{key.id, where});
            if (const auto [at, fresh] = index_of.emplace(key.id, key.index);
                !fresh && at->second != key.index)
                throw MergeError(
                    where + ": point " + key.id + " is at index " + std::to_string(key.index) +
                    " here and at " + std::to_string(at->second) +
                    " in an earlier row: its sweep lists one value twice "
                    "(an older flashscope wrote it); fix the sweep file and run it again");
            if (!inserted && it->second.id != key.id)
                throw MergeError(where + ": index " + std::to_string(key.index) + " is point " +
                                 key.id + " but " + it->second.where + " has point " +
                                 it->second.id + ": files of different sweeps");
            if (!inserted)
                doubled.push_back("index " + std::to_string(key.index) + " (id " + key.id +
                                  ") in " + it->second.where + " and " + where);
            else
                store.add(key.index, line);
        }
    }
    if (!total) throw MergeError("merge: the files hold no rows");
    // Every seen index is below *total; name the first few missing ones only, so that a row
    // claiming a huge sweep costs no time or memory before the error.
    const auto missing_count = static_cast<std::size_t>(*total) - seen.size();
    std::vector<std::string> missing;
    for (std::int64_t i = 0; i < *total && missing.size() < std::min(missing_count, k_listed); ++i)
        if (!seen.count(i)) missing.push_back(std::to_string(i));
    if (!doubled.empty() || !missing.empty()) {
        std::string message;
        if (!doubled.empty())
            message +=
                std::to_string(doubled.size()) + " point(s) doubled: " + listed(doubled, "; ");
        if (!missing.empty())
            message += std::string(message.empty() ? "" : "; ") + std::to_string(missing_count) +
                       " of " + std::to_string(*total) + " point(s) missing: index " +
                       listed(missing, ", ", missing_count) +
                       " (is a shard file absent or unfinished?)";
        throw MergeError("merge: " + message);
    }
    return {store.content(file_header(*format)), store.size()};
}

}  // namespace flashscope::sweep
