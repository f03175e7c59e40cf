#pragma once
// Element types of attention inputs and outputs.
#include <cstdint>
#include <string>
#include <string_view>

namespace flashscope {

enum class DType { fp32, fp16, bf16 };

std::int64_t bytes_of(DType dtype);
std::string_view to_string(DType dtype);
DType parse_dtype(std::string_view text);  // throws ConfigError naming "dtype"

}  // namespace flashscope
