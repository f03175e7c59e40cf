#include "flashscope/core/error.hpp"

namespace flashscope {

ConfigError::ConfigError(std::string field, std::string value, std::string limit)
    : std::invalid_argument(field + " = " + value + ": " + limit),
      m_field(std::move(field)),
      m_value(std::move(value)),
      m_limit(std::move(limit)) {}

}  // namespace flashscope
