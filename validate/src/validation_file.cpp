#include "flashscope/validate/validation_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"

namespace flashscope::validate {

FileFormat parse_file_format(const std::string& text) {
    if (text == "json") return FileFormat::json;
    if (text == "csv") return FileFormat::csv;
    throw ConfigError("format", text, "must be json or csv");
}

void write_validation(const std::string& path, const ValidationRun& run, FileFormat format) {
    try {
        flashscope::write_file_atomically(path,
                                          format == FileFormat::json ? to_json(run) : to_csv(run));
    } catch (const std::runtime_error& e) {
        throw ConfigError("out", path, e.what());
    }
}

ValidationRun read_validation(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("validation file", path, "cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    const bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
    return csv ? from_csv(text.str()) : from_json(text.str());
}

}  // namespace flashscope::validate
