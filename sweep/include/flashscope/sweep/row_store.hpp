#pragma once
// The rows of a sweep output kept in product order, whatever order they finished in.
#include <cstdint>
#include <map>
#include <string>

namespace flashscope::sweep {

class RowStore {
public:
    // Returns false (and keeps the first) when a row with this index is already present.
    bool add(std::int64_t index, std::string line);
    bool contains(std::int64_t index) const { return m_rows.count(index) != 0; }
    std::int64_t size() const { return static_cast<std::int64_t>(m_rows.size()); }
    const std::map<std::int64_t, std::string>& rows() const { return m_rows; }

    // header + every row in index order.
    std::string content(const std::string& header) const;

private:
    std::map<std::int64_t, std::string> m_rows;  // index -> line with its '\n'
};

}  // namespace flashscope::sweep
