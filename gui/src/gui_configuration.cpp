#include "gui_configuration.hpp"

#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::gui {

namespace {

// As a shell needs it: a GPU file's path may hold spaces.
std::string shell_word(const std::string& word) {
    const bool plain = !word.empty() && word.find_first_not_of(
                                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789_./:=+-,") == std::string::npos;
    if (plain) return word;
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

}  // namespace

std::string equivalent_cli(const GuiConfiguration& config) {
    std::string line = "flashscope simulate";
    for (const std::string& arg : sim::command_line_arguments(config)) {
        line += ' ';  // appended apart: GCC 12 at -O3 warns falsely on " " + std::string&&
        line += shell_word(arg);
    }
    return line;
}

}  // namespace flashscope::gui
