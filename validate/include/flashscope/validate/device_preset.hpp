#pragma once
// Which simulator GPU preset describes a CUDA device, found from its name.
#include <optional>
#include <string>

namespace flashscope::validate {

// "NVIDIA H100 80GB HBM3" -> "h100-sxm5", "NVIDIA H200" -> "h200-sxm",
// "NVIDIA A100-SXM4-80GB" -> "a100-sxm4-80gb"; nullopt for anything else (ask for --gpu).
std::optional<std::string> preset_for_device(const std::string& device_name,
                                             long long memory_bytes = 0);

}  // namespace flashscope::validate
