#pragma once
// Runs the flashscope binary under test as a child process.
#include <sys/types.h>

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

}  // namespace flashscope::sweep::test
