#include "simulation_flags.hpp"

#include <algorithm>
#include <string>

#include "flashscope/core/error.hpp"

namespace flashscope::cli {

SimulationFlags::SimulationFlags(CLI::App& command) : SimulationFlags(command, {}) {}

SimulationFlags::SimulationFlags(CLI::App& command,
                                 const std::vector<std::string_view>& leave_out) {
    for (const sim::SimulationOption& o : sim::simulation_options()) {
        if (std::find(leave_out.begin(), leave_out.end(), o.key) != leave_out.end()) continue;
        const std::string flag = sim::option_flag(o.key);
        CLI::Option* cli = o.kind == sim::OptionKind::boolean
                               ? command.add_flag(flag)
                               : command.add_option(flag)->type_name(std::string(o.value_name));
        // Every occurrence is kept, so that a repeated flag is refused rather than half-used.
        cli->description(std::string(o.help))->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        m_flags.emplace_back(&o, cli);
    }
}

std::vector<CLI::Option*> SimulationFlags::options() const {
    std::vector<CLI::Option*> flags;
    for (const auto& flag : m_flags) flags.push_back(flag.second);
    return flags;
}

std::vector<sim::OptionAxis> SimulationFlags::axes() const {
    std::vector<sim::OptionAxis> axes =
        sim::product_axes(given_axes(), sim::Unset::run_defaults, sim::option_flag);
    sim::check_effective(axes, sim::option_flag);
    return axes;
}

std::vector<sim::OptionAxis> SimulationFlags::given_axes() const {
    std::vector<sim::OptionAxis> given;
    for (const auto& [option, cli] : m_flags) {
        const std::vector<std::string>& texts = cli->results();
        if (texts.empty()) continue;
        if (texts.size() > 1 && !option->several)
            throw ConfigError(std::string(option->key), texts[1],
                              option->kind == sim::OptionKind::boolean
                                  ? "is given twice"
                                  : "is given twice (first as " + texts[0] + ")");
        sim::OptionAxis axis = sim::make_axis(*option);
        for (const std::string& text : texts) sim::add_value(axis, text);
        given.push_back(std::move(axis));
    }
    return sim::product_axes(std::move(given), sim::Unset::defaults, sim::option_flag);
}

}  // namespace flashscope::cli
