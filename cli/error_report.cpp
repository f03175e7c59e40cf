#include "error_report.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>

#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::cli {
namespace {

bool is_key(const std::string& field) {
    return !field.empty() && std::all_of(field.begin(), field.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// One line, whatever the message holds.
std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

}  // namespace

std::string usage_text(const ConfigError& error) {
    std::string flag = error.field();
    if (!is_key(flag)) return flag + " " + error.value() + ": " + error.limit();
    // A switch has no value on the command line: "--causal: is given twice".
    const sim::SimulationOption* option = sim::find_simulation_option(flag);
    const bool is_switch = option && option->kind == sim::OptionKind::boolean;
    return sim::option_flag(flag) + (is_switch ? "" : " " + error.value()) + ": " + error.limit();
}

int report_current_exception(std::ostream& err) {
    const auto line = [&](const std::string& text, int status) {
        err << "flashscope: error: " << one_line(text) << "\n";
        return status;
    };
    try {
        throw;
    } catch (const ConfigError& e) {
        return line(usage_text(e), k_exit_usage);
    } catch (const UsageError& e) {
        return line(e.what(), k_exit_usage);
    } catch (const CLI::ParseError& e) {
        return line(e.what(), k_exit_usage);
    } catch (const std::exception& e) {
        return line(e.what(), k_exit_failure);
    } catch (...) {
        return line("unknown failure", k_exit_failure);
    }
}

}  // namespace flashscope::cli
