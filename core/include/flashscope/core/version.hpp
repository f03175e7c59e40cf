#pragma once
// Which flashscope this is: the project version and the git commit it was built from, recorded
// at build time ("unknown" when built outside a git checkout).
#include <string>
#include <string_view>

namespace flashscope {

std::string_view version();     // "0.1.0"
std::string_view git_commit();  // "83c0f55a1b2c", "83c0f55a1b2c-dirty" or "unknown"
std::string version_line();     // "flashscope 0.1.0 (commit 83c0f55a1b2c)"

}  // namespace flashscope
