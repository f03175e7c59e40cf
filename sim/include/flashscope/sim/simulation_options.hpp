#pragma once
// Every option of one simulation, written once. simulate's flags, a sweep file's keys, a GUI
// session's keys and the GUI's equivalent command line all come from this table, so an option
// added here is accepted everywhere. An option's key (head_dim) is its sweep and session key;
// its flag is --key with '-' for '_' (--head-dim).
//
// Values are read into axes: an option with its list of values (one for a flag, several in a
// sweep). The product of the axes, in table order (first outermost), is the configurations to run.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/sim/simulation_config.hpp"

namespace flashscope::sim {

enum class OptionKind { text, whole, real, boolean };  // boolean: a switch on the command line

struct SimulationOption {
    std::string_view key;         // "head_dim"
    std::string_view value_name;  // for help texts: "N"
    std::string_view help;
    OptionKind kind = OptionKind::text;
    // A shorthand sets several fields at once (seq: seq_q and seq_k) and conflicts with the
    // options that set them one by one. Empty for an option of one field.
    std::vector<std::string_view> covers;
    // Not given, the option takes this option's value (kv_heads follows heads). Empty: its default.
    std::string_view follows;
    // Values that simulate and sweep run when the option is not given; empty: the default alone.
    std::vector<std::string> run_defaults;
    bool several = false;  // simulate takes it repeated, a result per value (algo)
    std::function<void(SimulationConfig&, std::string_view)> parse;  // throws ConfigError(key, ...)
    std::function<void(SimulationConfig&, const SimulationConfig&)>
        copy;  // its fields from another
    std::function<std::string(const SimulationConfig&)>
        text;  // canonical: "0064" reads back as "64"

    bool is_shorthand() const { return !covers.empty(); }
};

// In product order: the GPU and model outermost, the tile fastest.
const std::vector<SimulationOption>& simulation_options();
const SimulationOption* find_simulation_option(std::string_view key);  // nullptr when unknown
std::string known_option_keys();  // "gpu, model, algo, ..." for messages

// How a command names an option in its messages: a flag ("--seq-q") or a file key ("seq_q").
using OptionSpelling = std::function<std::string(std::string_view key)>;
std::string option_flag(std::string_view key);  // "--seq-q"
std::string option_key(std::string_view key);   // "seq_q"

struct OptionAxis {
    const SimulationOption* option = nullptr;
    std::vector<std::string> texts;        // canonical, in the order given
    std::vector<SimulationConfig> values;  // per text: the default config with that value set
};

// The value as the table writes it back ("0064" -> "64", "no" -> "false"); throws ConfigError
// naming the option when `text` is not a value of it.
std::string canonical_value(const SimulationOption& option, std::string_view text);

OptionAxis make_axis(const SimulationOption& option);
// Reads one more value; throws ConfigError naming the option for a bad value or one given twice.
void add_value(OptionAxis& axis, std::string_view text);

enum class Unset {
    defaults,
    run_defaults
};  // run_defaults: simulate and sweep (algo: naive, flash2)

// The axes in product order, with the run defaults of options not given when asked. Throws
// ConfigError for an option given twice or a shorthand given with an option it covers.
std::vector<OptionAxis> product_axes(std::vector<OptionAxis> given, Unset unset,
                                     const OptionSpelling& spell);

// Refuses options that would change nothing: dropout without naive eager mode, naive eager mode
// when the naive algorithm does not run. Throws ConfigError naming the ineffective option.
void check_effective(const std::vector<OptionAxis>& axes, const OptionSpelling& spell);

// The configuration at `position` (a value index per axis): the defaults, each axis' value, then
// each option not given that follows another takes its value.
SimulationConfig compose(const std::vector<OptionAxis>& axes,
                         const std::vector<std::size_t>& position);

// Every configuration of the product of `axes`, the first axis outermost.
std::vector<SimulationConfig> product_configs(const std::vector<OptionAxis>& axes);

// The flags and values that give `config` on simulate's command line: each option that differs
// from what simulate assumes without it, and algo always (simulate runs two when it is not given).
// Options check_effective() would refuse are left out.
std::vector<std::string> command_line_arguments(const SimulationConfig& config);

}  // namespace flashscope::sim
