#include "flashscope/core/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "flashscope/core/error.hpp"

namespace flashscope {
namespace {

std::filesystem::path temporary_beside(const std::filesystem::path& target) {
    std::random_device rd;
    std::filesystem::path temp = target;
    temp += ".tmp" + std::to_string(rd() % 1000000);
    return temp;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path temp = temporary_beside(target);
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error(path + ": cannot write (" + std::strerror(errno) + ")");
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.flush();
        if (!out) {
            std::error_code ignored;
            fs::remove(temp, ignored);
            throw std::runtime_error(path + ": write failed (" + std::strerror(errno) + ")");
        }
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw std::runtime_error(path + ": cannot rename into place (" + ec.message() + ")");
    }
}

void check_output_path(const std::string& field, const std::string& path) {
    namespace fs = std::filesystem;
    if (path.empty()) throw ConfigError(field, "\"\"", "needs a file name");
    const fs::path target(path);
    std::error_code ec;
    if (fs::is_directory(target, ec))
        throw ConfigError(field, path, "is a folder; give a file name");
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(folder, ec))
        throw ConfigError(field, path, "its folder " + folder.string() + " does not exist");
    const fs::path probe = temporary_beside(target);
    if (!std::ofstream(probe, std::ios::binary))
        throw ConfigError(field, path,
                          std::string("cannot be written (") + std::strerror(errno) + ")");
    fs::remove(probe, ec);
}

}  // namespace flashscope
