#pragma once
// Configuration errors: every message names the field, the offending value and the limit,
// so the CLI can print it as one line and the GUI can mark the field.
#include <stdexcept>
#include <string>

namespace flashscope {

class ConfigError : public std::invalid_argument {
public:
    ConfigError(std::string field, std::string value, std::string limit);

    const std::string& field() const { return m_field; }
    const std::string& value() const { return m_value; }
    const std::string& limit() const { return m_limit; }

private:
    std::string m_field;
    std::string m_value;
    std::string m_limit;
};

}  // namespace flashscope
