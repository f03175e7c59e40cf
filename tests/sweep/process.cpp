#include "process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "temp_dir.hpp"

extern char** environ;

namespace flashscope::sweep::test {

pid_t spawn_flashscope(const std::vector<std::string>& args, const std::string& out_path,
                       const std::string& err_path, const std::vector<std::string>& env) {
    std::vector<std::string> argv_text = {FLASHSCOPE_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text;
    const auto overridden = [&](std::string_view entry) {  // by a NAME=value in `env`
        const std::string_view name = entry.substr(0, entry.find('=') + 1);
        return std::any_of(env.begin(), env.end(),
                           [&](const std::string& e) { return e.starts_with(name); });
    };
    for (char** e = environ; *e; ++e)
        if (!overridden(*e)) env_text.emplace_back(*e);
    env_text.insert(env_text.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (std::string& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " FLASHSCOPE_BINARY);
    return pid;
}

int wait_for_exit(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

ProcessResult run_flashscope(const std::vector<std::string>& args,
                             const std::vector<std::string>& env) {
    const TempDir dir;
    ProcessResult r;
    r.exit_code = wait_for_exit(spawn_flashscope(args, dir.path("out"), dir.path("err"), env));
    r.out = dir.read("out");
    r.err = dir.read("err");
    return r;
}

}  // namespace flashscope::sweep::test
