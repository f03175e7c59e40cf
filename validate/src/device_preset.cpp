#include "flashscope/validate/device_preset.hpp"

#include <algorithm>
#include <cctype>

namespace flashscope::validate {

namespace {

bool contains(const std::string& text, const char* word) {
    return text.find(word) != std::string::npos;
}

}  // namespace

std::optional<std::string> preset_for_device(const std::string& device_name,
                                             long long memory_bytes) {
    std::string name = device_name;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::toupper(c)); });
    if (contains(name, "H200")) return "h200-sxm";
    if (contains(name, "H100")) {
        if (contains(name, "PCIE") || contains(name, "NVL"))
            return std::nullopt;  // other clocks and memory
        return "h100-sxm5";
    }
    if (contains(name, "A100")) {
        if (contains(name, "PCIE")) return std::nullopt;
        if (contains(name, "80GB")) return "a100-sxm4-80gb";
        if (contains(name, "40GB")) return "a100-sxm4-40gb";
        if (memory_bytes > 0)
            return memory_bytes > (48ll << 30) ? "a100-sxm4-80gb" : "a100-sxm4-40gb";
    }
    return std::nullopt;
}

}  // namespace flashscope::validate
