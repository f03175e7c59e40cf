#pragma once
// The validation file, schema "flashscope.validation/1", in JSON or CSV (same columns). Written
// to a temporary name and renamed; read back for the GUI and the tests.
#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/validate/record.hpp"
#include "flashscope/validate/statistics.hpp"

namespace flashscope::validate {

inline constexpr const char* k_validation_schema = "flashscope.validation/1";

struct ValidationRun {
    std::string device;      // CUDA device name
    std::string chip;        // CUPTI chip name
    std::string gpu_preset;  // simulator preset the predictions used
    std::string model;       // simulator model
    std::string
        l2_protocol;  // how the L2 was prepared around the ranges (profiler/l2_protocol.hpp)
    std::string suite;
    std::string date;  // ISO 8601 UTC
    std::string command;
    double sm_clock_hz = 0;   // median over records
    std::int64_t passes = 0;  // profiler passes per configuration
    std::vector<ValidationRecord> records;
    std::vector<MetricErrorSummary> errors;
    std::vector<RankAgreement> ranks;
};

enum class FileFormat { json, csv };
FileFormat parse_file_format(const std::string& text);  // throws ConfigError naming "format"

std::string to_json(const ValidationRun& run);
std::string to_csv(const ValidationRun& run);  // records only; run fields repeated per row
ValidationRun from_json(const std::string& text);
ValidationRun from_csv(const std::string& text);

void write_validation(const std::string& path, const ValidationRun& run, FileFormat format);
ValidationRun read_validation(const std::string& path);  // by extension: .csv or JSON

}  // namespace flashscope::validate
