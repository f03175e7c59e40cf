#include "flashscope/core/algorithm.hpp"

#include <string>

#include "flashscope/core/error.hpp"

namespace flashscope {

std::string_view to_string(Algorithm algorithm) {
    switch (algorithm) {
        case Algorithm::naive: return "naive";
        case Algorithm::flash1: return "flash1";
        case Algorithm::flash2: return "flash2";
    }
    return "?";
}

Algorithm parse_algorithm(std::string_view text) {
    for (Algorithm a : k_all_algorithms) {
        if (text == to_string(a)) return a;
    }
    throw ConfigError("algo", std::string(text), "must be one of naive, flash1, flash2");
}

}  // namespace flashscope
