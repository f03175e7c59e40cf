#include "flashscope/validate/validation_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "flashscope/core/error.hpp"

namespace flashscope::validate {

FileFormat parse_file_format(const std::string& text) {
    if (text == "json") return FileFormat::json;
    if (text == "csv") return FileFormat::csv;
    throw ConfigError("format", text, "must be json or csv");
}

void write_file_atomically(const std::string& path, const std::string& content) {
    const std::string temp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) throw ConfigError("out", path, "cannot be written (temporary file " + temp + ")");
        out << content;
        out.flush();
        if (!out) {
            std::remove(temp.c_str());
            throw ConfigError("out", path, "write failed");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::remove(temp.c_str());
        throw ConfigError("out", path, "rename failed: " + ec.message());
    }
}

void write_validation(const std::string& path, const ValidationRun& run, FileFormat format) {
    write_file_atomically(path, format == FileFormat::json ? to_json(run) : to_csv(run));
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
