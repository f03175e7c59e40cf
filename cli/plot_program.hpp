#pragma once
// The plots are drawn by flashscope-plot, a program built with the GUI (it needs Qt, which this
// command never links). It is found through $FLASHSCOPE_PLOT, beside this program (installed
// trees), or in the build tree's gui/ folder; without it, a clear error says how to build it.
#include <string>
#include <vector>

namespace flashscope::cli {

std::string find_plot_program();  // throws std::runtime_error naming where it looked
[[noreturn]] void exec_plot_program(const std::vector<std::string>& args);  // replaces this process
int run_plot_program(const std::vector<std::string>& args);  // waits; returns its exit status

}  // namespace flashscope::cli
