#pragma once
// A sweep file that cannot be read: the message names the file, the line and the key, e.g.
// "tiles.yaml:7: block_m: 'abc' is not a whole number".
#include <cstdint>
#include <stdexcept>
#include <string>

namespace flashscope::sweep {

class SpecError : public std::runtime_error {
public:
    // line is 1-based; 0 when the problem has no line (an unreadable file).
    SpecError(std::string origin, std::int64_t line, std::string key, const std::string& problem);

    const std::string& origin() const { return m_origin; }
    std::int64_t line() const { return m_line; }
    const std::string& key() const { return m_key; }

private:
    std::string m_origin;
    std::int64_t m_line;
    std::string m_key;
};

}  // namespace flashscope::sweep
