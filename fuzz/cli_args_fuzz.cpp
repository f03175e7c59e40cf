// `flashscope simulate`'s command line up to the point where it would simulate: CLI11 reads the
// flags (simulation_flags.cpp, one per row of the options table), they become the product of
// configurations, and each is checked (the GPU resolves, the problem and the tile are valid).
// The input is the argument list, one argument per line. Whatever is refused must come out as
// the CLI's error contract says: one line on stderr, exit 2 for usage, 1 for a failure.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "error_report.hpp"
#include "flashscope/sim/simulation_config.hpp"
#include "fuzz_support.hpp"
#include "simulation_flags.hpp"

using namespace flashscope;

namespace {

std::vector<std::string> arguments(const std::string& text) {
    std::vector<std::string> args = {"flashscope", "simulate"};
    std::size_t begin = 0;
    while (begin <= text.size() && args.size() < 64) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        args.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return args;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::string> args = arguments(fuzz::text_of(data, size));
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());

    CLI::App app{"flashscope"};
    CLI::App* simulate = app.add_subcommand("simulate");
    const cli::SimulationFlags flags(*simulate);
    std::string out, format, timeline;  // simulate's other options, read but not used here
    simulate->add_option("-o,--out", out);
    simulate->add_option("--format", format);
    simulate->add_option("--timeline", timeline);
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
        for (const sim::SimulationConfig& config : sim::product_configs(flags.axes()))
            sim::check_config(config);
    } catch (const CLI::Success&) {  // --help
    } catch (...) {
        std::ostringstream err;
        const int status = cli::report_current_exception(err);
        const std::string line = err.str();
        if (status != cli::k_exit_usage) __builtin_trap();  // nothing here is a runtime failure
        if (std::count(line.begin(), line.end(), '\n') != 1 || line.back() != '\n')
            __builtin_trap();
    }
    return 0;
}
