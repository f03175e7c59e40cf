// flashscope: simulate, sweep and validate attention's memory traffic from the command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "error_report.hpp"
#include "flashscope/core/version.hpp"

int main(int argc, char** argv) {
    CLI::App app{"flashscope: where attention's bytes and cycles go on a GPU"};
    app.set_version_flag("--version", flashscope::version_line());
    app.require_subcommand(0, 1);
    flashscope::cli::add_simulate_command(app);
    flashscope::cli::add_tiles_command(app);
    flashscope::cli::add_gpus_command(app);
    flashscope::cli::add_sweep_command(app);
    flashscope::cli::add_merge_command(app);
    flashscope::cli::add_validate_command(app);
    flashscope::cli::add_calibrate_command(app);
#ifdef FLASHSCOPE_HAVE_CUDA_COMMANDS
    flashscope::cli::add_bench_command(app);
#endif
    flashscope::cli::add_plot_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        return app.exit(e);
    } catch (...) {
        return flashscope::cli::report_current_exception(std::cerr);
    }
    if (argc == 1) std::cout << app.help();
    return 0;
}
