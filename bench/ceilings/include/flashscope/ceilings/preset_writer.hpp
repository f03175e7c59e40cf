#pragma once
// Writes a GPU preset YAML (configs/gpus/*.yaml's keys, order and comment style) from values that
// each carry their source: what `flashscope calibrate` measured on a card, the device's attributes,
// and the datasheet values no microbenchmark gives. Host code: builds without CUDA.
#include <map>
#include <string>
#include <vector>

namespace flashscope::ceilings {

// One value of a preset and the comment written beside it ("[M] measured by ...", "[CG] ...").
struct Sourced {
    double value = 0;
    std::string source;
};

// The preset's keys in file order; the tensor-core rates are "tensor_flops_per_clk_per_sm.fp16",
// ".bf16" and ".fp32" (written as one nested mapping).
const std::vector<std::string>& preset_keys();

struct PresetText {
    std::string name;         // the preset's `name:` (a plain word: letters, digits, '-', '_', '.')
    std::string description;  // one line
    std::vector<std::string> header;        // comment lines above the keys (sources, the command)
    std::map<std::string, Sourced> values;  // every key of preset_keys(), nothing else
    std::vector<std::string> notes;         // comment lines after the keys: findings not yet keys
};

// Throws ConfigError naming the key when one is missing, unknown or not finite, or when the name
// is not a plain word.
std::string preset_yaml(const PresetText& preset);

// The shortest text that reads back as exactly `value` ("132", "1805.5", "0.25").
std::string number_text(double value);

// "nvidia-h200" from "NVIDIA H200": lower case, runs of anything but letters and digits as '-'.
std::string preset_name_from_device(const std::string& device_name);

// Today's date in UTC, "2026-11-30".
std::string utc_date();

}  // namespace flashscope::ceilings
