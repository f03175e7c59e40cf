#include "flashscope/core/version.hpp"

namespace flashscope {

std::string version_line() {
    return "flashscope " + std::string(version()) + " (commit " + std::string(git_commit()) + ")";
}

}  // namespace flashscope
