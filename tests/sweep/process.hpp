#pragma once
// Runs the flashscope binary under test as a child process.
#include <sys/types.h>

#include <algorithm>
#include <string>
#include <vector>

namespace flashscope::sweep::test {

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// `env` entries ("NAME=value") are added to this process's environment, replacing its own NAME.
ProcessResult run_flashscope(const std::vector<std::string>& args,
                             const std::vector<std::string>& env = {});

// Starts flashscope with stdout and stderr going to the given files; returns its pid.
pid_t spawn_flashscope(const std::vector<std::string>& args, const std::string& out_path,
                       const std::string& err_path, const std::vector<std::string>& env = {});
int wait_for_exit(pid_t pid);  // the exit code, or 128 + signal

// Lines of a program's output (newline characters): CLI errors are one line.
inline int lines(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace flashscope::sweep::test
