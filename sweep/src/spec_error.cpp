#include "flashscope/sweep/spec_error.hpp"

namespace flashscope::sweep {
namespace {

std::string message(const std::string& origin, std::int64_t line, const std::string& key,
                    const std::string& problem) {
    std::string text = origin;
    if (line > 0) text += ":" + std::to_string(line);
    text += ": ";
    if (!key.empty()) text += key + ": ";
    return text + problem;
}

}  // namespace

SpecError::SpecError(std::string origin, std::int64_t line, std::string key,
                     const std::string& problem)
    : std::runtime_error(message(origin, line, key, problem)),
      m_origin(std::move(origin)),
      m_line(line),
      m_key(std::move(key)) {}

}  // namespace flashscope::sweep
