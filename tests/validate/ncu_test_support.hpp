#pragma once
// The ncu CSV fixtures of tests/validate/data/ncu/ (each says in its header how it was made).
#include <string>

inline std::string ncu_fixture(const std::string& name) {
    return std::string(FLASHSCOPE_SOURCE_DIR) + "/tests/validate/data/ncu/" + name;
}
