#pragma once
// The human summary printed last by `flashscope validate`.
#include <string>

#include "flashscope/validate/validation_file.hpp"

namespace flashscope::validate {

std::string format_summary(const ValidationRun& run);

}  // namespace flashscope::validate
