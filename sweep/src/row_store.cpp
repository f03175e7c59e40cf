#include "flashscope/sweep/row_store.hpp"

namespace flashscope::sweep {

bool RowStore::add(std::int64_t index, std::string line) {
    return m_rows.emplace(index, std::move(line)).second;
}

std::string RowStore::content(const std::string& header) const {
    std::size_t bytes = header.size();
    for (const auto& [index, line] : m_rows) bytes += line.size();
    std::string out;
    out.reserve(bytes);
    out += header;
    for (const auto& [index, line] : m_rows) out += line;
    return out;
}

}  // namespace flashscope::sweep
