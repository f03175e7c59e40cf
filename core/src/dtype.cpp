#include "flashscope/core/dtype.hpp"

#include "flashscope/core/error.hpp"

namespace flashscope {

std::int64_t bytes_of(DType dtype) {
    switch (dtype) {
        case DType::fp32:
            return 4;
        case DType::fp16:
        case DType::bf16:
            return 2;
    }
    return 0;
}

std::string_view to_string(DType dtype) {
    switch (dtype) {
        case DType::fp32:
            return "fp32";
        case DType::fp16:
            return "fp16";
        case DType::bf16:
            return "bf16";
    }
    return "?";
}

DType parse_dtype(std::string_view text) {
    for (DType d : {DType::fp32, DType::fp16, DType::bf16}) {
        if (text == to_string(d)) return d;
    }
    throw ConfigError("dtype", std::string(text), "must be one of fp32, fp16, bf16");
}

}  // namespace flashscope
