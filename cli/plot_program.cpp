#include "plot_program.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

extern char** environ;

namespace flashscope::cli {
namespace {

std::vector<char*> argv_of(const std::string& program, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    return argv;
}

bool is_program(const std::filesystem::path& p) {
    return ::access(p.c_str(), X_OK) == 0 && !is_directory(p);
}

}  // namespace

std::string find_plot_program() {
    if (const char* env = std::getenv("FLASHSCOPE_PLOT"); env && *env) {
        if (!is_program(env))
            throw std::runtime_error(std::string("FLASHSCOPE_PLOT=") + env + ": no such program");
        return env;
    }
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto dir = ec ? std::filesystem::path(".") : self.parent_path();
    for (const auto& candidate : {dir / "flashscope-plot", dir / ".." / "gui" / "flashscope-plot"})
        if (is_program(candidate)) return candidate.lexically_normal().string();
    throw std::runtime_error(
        "flashscope plot draws with flashscope-plot, which is built with the GUI (Qt 6 and "
        "QCustomPlot: "
        "-DFLASHSCOPE_WITH_GUI=ON); it is not beside " +
        dir.string() + " (or set FLASHSCOPE_PLOT)");
}

void exec_plot_program(const std::vector<std::string>& args) {
    const std::string program = find_plot_program();
    auto argv = argv_of(program, args);
    ::execv(program.c_str(), argv.data());
    throw std::runtime_error(program + ": " + std::strerror(errno));
}

int run_plot_program(const std::vector<std::string>& args) {
    const std::string program = find_plot_program();
    auto argv = argv_of(program, args);
    pid_t pid = 0;
    if (const int err =
            ::posix_spawn(&pid, program.c_str(), nullptr, nullptr, argv.data(), environ))
        throw std::runtime_error(program + ": " + std::strerror(err));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error(program + ": " + std::strerror(errno));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace flashscope::cli
