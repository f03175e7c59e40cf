#include "flashscope/sim/simulation_options.hpp"

#include <algorithm>
#include <limits>

#include "flashscope/core/error.hpp"
#include "flashscope/core/number_text.hpp"

namespace flashscope::sim {
namespace {

// Row builders. `at` is a generic lambda naming the field: [](auto& c) -> auto& { return c.x; },
// so one expression serves reading (const config) and writing.
template <typename At, typename Read, typename Write>
SimulationOption field(std::string_view key, std::string_view value_name, std::string_view help,
                       OptionKind kind, At at, Read read, Write write) {
    SimulationOption o;
    o.key = key;
    o.value_name = value_name;
    o.help = help;
    o.kind = kind;
    o.parse = [=](SimulationConfig& c, std::string_view text) { at(c) = read(text); };
    o.copy = [=](SimulationConfig& c, const SimulationConfig& from) { at(c) = at(from); };
    o.text = [=](const SimulationConfig& c) { return write(at(c)); };
    return o;
}

template <typename At>
SimulationOption whole(std::string_view key, std::string_view help, At at, std::int64_t min,
                       std::int64_t max) {
    return field(
        key, "N", help, OptionKind::whole, at,
        [=](std::string_view t) { return parse_whole(key, t, min, max); },
        [](std::int64_t v) { return std::to_string(v); });
}

// A tile field (`member` names it in a TileConfig), also checked alone by TileConfig's rule.
template <typename Member>
SimulationOption tile_field(std::string_view key, std::string_view help, Member member,
                            std::int64_t max) {
    SimulationOption o = whole(
        key, help, [=](auto& c) -> auto& { return member(c.tile); }, 0, max);
    o.parse = [=](SimulationConfig& c, std::string_view t) {
        TileConfig alone;
        member(alone) = parse_whole(key, t, 0, max);
        alone.validate();  // multiples of 16, powers of two: named by the field
        member(c.tile) = member(alone);
    };
    return o;
}

template <typename At>
SimulationOption real(std::string_view key, std::string_view value_name, std::string_view help,
                      At at, double max, bool max_excluded) {
    return field(
        key, value_name, help, OptionKind::real, at,
        [=](std::string_view t) { return parse_real(key, t, 0, max, max_excluded); }, real_text);
}

template <typename At>
SimulationOption boolean(std::string_view key, std::string_view help, At at) {
    return field(
        key, "BOOL", help, OptionKind::boolean, at,
        [=](std::string_view t) { return parse_boolean(key, t); },
        [](bool v) { return std::string(v ? "true" : "false"); });
}

// A named value whose type has parse and to_string functions (model, algo, pass, dtype).
template <typename At, typename Parse>
SimulationOption named(std::string_view key, std::string_view help, At at, Parse parse) {
    return field(key, "NAME", help, OptionKind::text, at, parse,
                 [](const auto& v) { return std::string(to_string(v)); });
}

SimulationOption gpu_option() {
    return field(
        "gpu", "NAME|FILE", "GPU preset name or a .yaml file with the preset schema",
        OptionKind::text, [](auto& c) -> auto& { return c.gpu; },
        [](std::string_view t) {
            if (t.empty()) throw ConfigError("gpu", "\"\"", "needs a preset name or a .yaml file");
            return std::string(t);
        },
        [](const std::string& v) { return v; });
}

SimulationOption seq_shorthand() {
    SimulationOption o = whole(
        "seq", "sequence length of queries and keys (default 4096)",
        [](auto& c) -> auto& { return c.problem.seq_q; }, 1, k_max_seq);
    o.covers = {"seq_q", "seq_k"};
    o.parse = [](SimulationConfig& c, std::string_view t) {
        c.problem.seq_q = c.problem.seq_k = parse_whole("seq", t, 1, k_max_seq);
    };
    o.copy = [](SimulationConfig& c, const SimulationConfig& from) {
        c.problem.seq_q = from.problem.seq_q;
        c.problem.seq_k = from.problem.seq_k;
    };
    return o;
}

// The whole tile, or "best": the tile advisor's fastest (resolved when the request is made).
SimulationOption tile_shorthand() {
    SimulationOption o;
    o.key = "tile";
    o.value_name = "MxNxWxS|best";
    o.help =
        "the whole tile: block_m x block_n x warps x stages, e.g. 128x64x4x2, or best (the "
        "fastest of `flashscope tiles`)";
    o.kind = OptionKind::text;
    o.parse = [](SimulationConfig& c, std::string_view t) {
        c.tile_best = t == "best";
        if (c.tile_best) {
            c.tile = {};
            return;
        }
        const TileConfig tile = parse_tile(t);
        try {
            tile.validate();
        } catch (const ConfigError& e) {
            throw ConfigError("tile", std::string(t),
                              e.field() + " " + e.value() + " " + e.limit());
        }
        c.tile = tile;
    };
    o.copy = [](SimulationConfig& c, const SimulationConfig& from) {
        c.tile = from.tile;
        c.tile_best = from.tile_best;
    };
    o.text = [](const SimulationConfig& c) {
        return c.tile_best ? std::string("best") : to_string(c.tile);
    };
    o.covers = {"block_m", "block_n", "warps", "stages"};
    return o;
}

std::vector<SimulationOption> make_table() {
    constexpr double k_unbounded = std::numeric_limits<double>::infinity();
    std::vector<SimulationOption> t;
    t.push_back(gpu_option());
    t.push_back(named(
        "model", "analytic or cycle", [](auto& c) -> auto& { return c.model; },
        [](std::string_view s) { return parse_model(s); }));
    t.push_back(named(
        "algo", "algorithm; repeat for several (default: naive and flash2)",
        [](auto& c) -> auto& { return c.algorithm; },
        [](std::string_view s) { return parse_algorithm(s); }));
    t.back().run_defaults = {"naive", "flash2"};
    t.back().several = true;
    t.push_back(named(
        "pass", "fwd, bwd or fwdbwd", [](auto& c) -> auto& { return c.problem.pass; },
        [](std::string_view s) { return parse_pass(s); }));
    t.push_back(named(
        "dtype", "fp32, fp16 or bf16", [](auto& c) -> auto& { return c.problem.dtype; },
        [](std::string_view s) { return parse_dtype(s); }));
    t.push_back(boolean(
        "causal", "causal mask, bottom-right aligned",
        [](auto& c) -> auto& { return c.problem.causal; }));
    t.push_back(whole(
        "batch", "batch size", [](auto& c) -> auto& { return c.problem.batch; }, 1,
        k_max_batch_heads));
    t.push_back(whole(
        "heads", "query heads", [](auto& c) -> auto& { return c.problem.heads; }, 1,
        k_max_batch_heads));
    t.push_back(whole(
        "kv_heads", "key/value heads (GQA/MQA; default: heads)",
        [](auto& c) -> auto& { return c.problem.kv_heads; }, 1, k_max_batch_heads));
    t.back().follows = "heads";
    t.push_back(seq_shorthand());
    t.push_back(whole(
        "seq_q", "query sequence length", [](auto& c) -> auto& { return c.problem.seq_q; }, 1,
        k_max_seq));
    t.push_back(whole(
        "seq_k", "key sequence length", [](auto& c) -> auto& { return c.problem.seq_k; }, 1,
        k_max_seq));
    t.push_back(whole(
        "head_dim", "head dimension", [](auto& c) -> auto& { return c.problem.head_dim; }, 1,
        k_max_head_dim));
    t.push_back(tile_shorthand());
    t.push_back(tile_field(
        "block_m", "query rows per tile (default: FlashAttention's rule)",
        [](auto& tile) -> auto& { return tile.block_m; }, k_max_block));
    t.push_back(tile_field(
        "block_n", "key rows per tile (default: FlashAttention's rule)",
        [](auto& tile) -> auto& { return tile.block_n; }, k_max_block));
    t.push_back(tile_field(
        "warps", "warps per CTA (default: the algorithm's rule)",
        [](auto& tile) -> auto& { return tile.warps; }, k_max_warps));
    t.push_back(tile_field(
        "stages", "K/V pipeline stages (default: the algorithm's rule)",
        [](auto& tile) -> auto& { return tile.stages; }, k_max_stages));
    t.push_back(real(
        "softmax_scale", "X", "softmax scale (default 0: 1/sqrt(head_dim))",
        [](auto& c) -> auto& { return c.problem.softmax_scale; }, k_unbounded, false));
    t.push_back(real(
        "dropout", "P", "dropout probability (naive eager mode only)",
        [](auto& c) -> auto& { return c.problem.dropout; }, 1, true));
    t.push_back(boolean(
        "naive_eager",
        "run naive as PyTorch's eager autograd does: its separate scale, softmax-backward "
        "and copy kernels and the tensors it keeps alive",
        [](auto& c) -> auto& { return c.naive_eager; }));
    return t;
}

std::ptrdiff_t table_index(const SimulationOption* option) {
    return option - simulation_options().data();
}

const OptionAxis* axis_of(const std::vector<OptionAxis>& axes, std::string_view key) {
    for (const OptionAxis& a : axes)
        if (a.option->key == key) return &a;
    return nullptr;
}

}  // namespace

const std::vector<SimulationOption>& simulation_options() {
    static const std::vector<SimulationOption> table = make_table();
    return table;
}

const SimulationOption* find_simulation_option(std::string_view key) {
    for (const SimulationOption& o : simulation_options())
        if (o.key == key) return &o;
    return nullptr;
}

std::string known_option_keys() {
    std::string keys;
    for (const SimulationOption& o : simulation_options())
        keys += (keys.empty() ? "" : ", ") + std::string(o.key);
    return keys;
}

std::string option_flag(std::string_view key) {
    std::string flag = "--" + std::string(key);
    std::replace(flag.begin(), flag.end(), '_', '-');
    return flag;
}

std::string option_key(std::string_view key) {
    return std::string(key);
}

OptionAxis make_axis(const SimulationOption& option) {
    return {&option, {}, {}};
}

std::string canonical_value(const SimulationOption& option, std::string_view text) {
    SimulationConfig value;
    option.parse(value, text);
    return option.text(value);
}

void add_value(OptionAxis& axis, std::string_view text) {
    SimulationConfig value;
    axis.option->parse(value, text);
    std::string canonical = axis.option->text(value);
    if (std::find(axis.texts.begin(), axis.texts.end(), canonical) != axis.texts.end())
        throw ConfigError(
            std::string(axis.option->key), std::string(text),
            canonical == text ? "is given twice" : "is given twice (as " + canonical + ")");
    axis.texts.push_back(std::move(canonical));
    axis.values.push_back(std::move(value));
}

std::vector<OptionAxis> product_axes(std::vector<OptionAxis> given, Unset unset,
                                     const OptionSpelling& spell) {
    std::stable_sort(given.begin(), given.end(), [](const OptionAxis& a, const OptionAxis& b) {
        return table_index(a.option) < table_index(b.option);
    });
    for (std::size_t i = 1; i < given.size(); ++i)
        if (given[i].option == given[i - 1].option)
            throw ConfigError(std::string(given[i].option->key), given[i].texts.front(),
                              "is given twice");
    for (const OptionAxis& shorthand : given) {
        for (std::string_view part : shorthand.option->covers)
            if (const OptionAxis* both = axis_of(given, part))
                throw ConfigError(std::string(part), both->texts.front(),
                                  "conflicts with " + spell(shorthand.option->key) + " " +
                                      shorthand.texts.front() + "; give one or the other");
    }
    if (unset == Unset::run_defaults) {
        for (const SimulationOption& o : simulation_options()) {
            if (o.run_defaults.empty() || axis_of(given, o.key)) continue;
            OptionAxis axis = make_axis(o);
            for (const std::string& v : o.run_defaults) add_value(axis, v);
            given.push_back(std::move(axis));
        }
        std::stable_sort(given.begin(), given.end(), [](const OptionAxis& a, const OptionAxis& b) {
            return table_index(a.option) < table_index(b.option);
        });
    }
    return given;
}

void check_effective(const std::vector<OptionAxis>& axes, const OptionSpelling& spell) {
    const SimulationConfig defaults;
    // The values an option takes over the whole product: its axis, or the default alone.
    const auto any_value = [&](std::string_view key, const auto& predicate) {
        const OptionAxis* axis = axis_of(axes, key);
        if (!axis) return static_cast<bool>(predicate(defaults));
        return std::any_of(axis->values.begin(), axis->values.end(), predicate);
    };
    const auto eager_off = [](const SimulationConfig& c) { return !c.naive_eager; };
    const auto eager_on = [](const SimulationConfig& c) { return c.naive_eager; };
    const auto runs_naive = [](const SimulationConfig& c) {
        return to_string(c.algorithm) == "naive";
    };
    if (const OptionAxis* dropout = axis_of(axes, "dropout")) {
        for (std::size_t i = 0; i < dropout->values.size(); ++i)
            if (dropout->values[i].problem.dropout > 0 && any_value("naive_eager", eager_off))
                throw ConfigError(
                    "dropout", dropout->texts[i],
                    "changes nothing without naive eager mode (" + spell("naive_eager") + ")");
    }
    if (any_value("naive_eager", eager_on) && !any_value("algo", runs_naive))
        throw ConfigError(
            "naive_eager", "true",
            "changes only the naive algorithm, which does not run (" + spell("algo") + ")");
}

SimulationConfig compose(const std::vector<OptionAxis>& axes,
                         const std::vector<std::size_t>& position) {
    SimulationConfig c;
    for (std::size_t i = 0; i < axes.size(); ++i)
        axes[i].option->copy(c, axes[i].values[position[i]]);
    for (const SimulationOption& o : simulation_options()) {
        if (o.follows.empty() || axis_of(axes, o.key)) continue;
        o.parse(c, find_simulation_option(o.follows)->text(c));
    }
    return c;
}

std::vector<SimulationConfig> product_configs(const std::vector<OptionAxis>& axes) {
    std::vector<SimulationConfig> configs;
    std::vector<std::size_t> position(axes.size(), 0);
    while (true) {
        configs.push_back(compose(axes, position));
        std::size_t axis = axes.size();
        while (axis > 0 && ++position[axis - 1] == axes[axis - 1].values.size())
            position[--axis] = 0;
        if (axis == 0) return configs;  // every position wrapped: the odometer is back at the start
    }
}

std::vector<std::string> command_line_arguments(const SimulationConfig& config) {
    const bool eager_counts = config.naive_eager && to_string(config.algorithm) == "naive";
    std::vector<std::string> args;
    for (const SimulationOption& o : simulation_options()) {
        if (o.is_shorthand()) continue;
        if ((o.key == "naive_eager" || o.key == "dropout") && !eager_counts) continue;
        SimulationConfig assumed;  // what simulate takes without this flag
        if (!o.follows.empty()) o.parse(assumed, find_simulation_option(o.follows)->text(config));
        const std::string value = o.text(config);
        if (value == o.text(assumed) && o.run_defaults.empty()) continue;
        args.push_back(option_flag(o.key));
        if (o.kind != OptionKind::boolean) args.push_back(value);
    }
    return args;
}

}  // namespace flashscope::sim
