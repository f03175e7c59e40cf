#pragma once
// A report written by Nsight Compute's `ncu --csv`, in either of its CSV pages:
//   --page raw       one row per kernel launch, one column per metric, a row of units under the
//   header
//   --page details   (the default) one row per metric of a launch, with "Metric Name", "Metric
//   Unit"
//                    and "Metric Value" columns
// Lines before the table (==PROF== messages, the program's own output, # comments) and ncu's
// ==PROF==/==WARNING== lines anywhere are skipped. Numbers may carry thousands separators
// ("1,048,576"); values are converted to base units (bytes, seconds, Hz, plain counts).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flashscope::validate {

struct NcuValue {
    double value = 0;  // in the base unit
    std::string unit;  // as printed ("Mbyte", "usecond", "" when none)
};

struct NcuKernel {
    std::int64_t id = 0;  // ncu's launch ID
    std::string name;  // "Kernel Name" as printed (demangled, with template arguments, by default)
    std::string compute_capability;  // "CC" column, e.g. "9.0"; empty when absent
    std::map<std::string, NcuValue> metrics;
    std::map<std::string, std::string>
        texts;  // values that are not numbers (device__attribute_display_name)
    std::map<std::string, std::string> unread_units;  // numbers in a unit flashscope does not read
    std::int64_t line = 0;                            // line of the launch's first row in the file
};

enum class NcuPage { raw, details };

struct NcuReport {
    std::string origin;  // file name, for messages
    NcuPage page = NcuPage::raw;
    std::vector<NcuKernel> kernels;  // in report (launch) order
};

// Throws ConfigError (field "ncu report", value "FILE:LINE") for anything that is not such a table
// it cannot read: a missing column, a row of the wrong width, a launch ID that is not a number.
NcuReport parse_ncu_csv(std::string_view text, const std::string& origin);
NcuReport read_ncu_report(const std::string& path);

// "void ns::kernel<int, 4>(Params)" -> "ns::kernel": for tables and messages.
std::string short_kernel_name(const std::string& name);

}  // namespace flashscope::validate
