// flashscope plot: one of flashscope-gui's views drawn from a file, headless, into PNG or SVG.
// The arguments go to flashscope-plot unchanged (its --help lists them).
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "plot_program.hpp"

namespace flashscope::cli {

void add_plot_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("plot",
                                   "draw a view of flashscope-gui from a file into PNG or SVG, "
                                   "headless: heatmap, scaling, roofline, "
                                   "memory (sweep files), timeline (simulate --timeline CSV), "
                                   "scatter (validation files); --help for more");
    cmd->prefix_command();
    cmd->set_help_flag();  // --help goes to flashscope-plot
    cmd->callback([cmd] { exec_plot_program(cmd->remaining()); });
}

}  // namespace flashscope::cli
