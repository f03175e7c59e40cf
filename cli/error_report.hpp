#pragma once
// The command line's error contract: every failure is one line on stderr. Usage errors (a bad
// flag, value or combination of flags, a bad input file) exit 2 and name the flag, the value
// and the limit; failures while working (I/O, an interrupted run) exit 1.
#include <ostream>
#include <stdexcept>
#include <string>

#include "flashscope/core/error.hpp"

namespace flashscope::cli {

inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_failure = 1;

// A usage error whose message is complete as it is (a sweep file's "file:line: key: problem").
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "--seq-q 0: must be ..." for ConfigError("seq_q", "0", "must be ..."): fields that are option
// keys are shown as the flag a user types.
std::string usage_text(const ConfigError& error);

// Call inside a catch block: writes the current exception as one line and returns the exit status.
int report_current_exception(std::ostream& err);

}  // namespace flashscope::cli
