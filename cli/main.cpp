// flashscope: simulate, sweep and validate attention's memory traffic from the command line.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"flashscope: where attention's bytes and cycles go on a GPU"};
    app.set_version_flag("--version", "flashscope 0.1.0");
    app.require_subcommand(0, 1);
    flashscope::cli::add_simulate_command(app);
    flashscope::cli::add_gpus_command(app);
    flashscope::cli::add_sweep_command(app);
    flashscope::cli::add_merge_command(app);
    flashscope::cli::add_validate_command(app);
#ifdef FLASHSCOPE_HAVE_CUDA_COMMANDS
    flashscope::cli::add_bench_command(app);
#endif
    flashscope::cli::add_plot_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::cerr << "flashscope: error: " << e.what() << "\n";
        return 1;
    }
    if (argc == 1) std::cout << app.help();
    return 0;
}
