#pragma once
// Reads the files `flashscope validate` writes (schema flashscope.validation/1, JSON or CSV) with
// Qt alone: the GUI never links validate/. Each record becomes a configuration the panel can load.
#include <QString>
#include <map>
#include <string>
#include <vector>

#include "gui_configuration.hpp"

namespace flashscope::gui {

inline constexpr const char* k_validation_schema_name = "flashscope.validation/1";

struct ValidationEntry {
    GuiConfiguration config;  // gpu and model as the run's predictions used
    QString kernel;
    std::map<std::string, double> predicted;
    std::map<std::string, double> measured;  // only the fields that were measured

    bool is_measured(const std::string& metric) const { return measured.count(metric) != 0; }
    double relative_error(const std::string& metric) const;  // NaN when not measured
};

struct ValidationData {
    QString path;
    QString device;
    QString gpu_preset;
    QString model;
    QString suite;
    QString date;
    std::vector<ValidationEntry> records;
};

// Throws ConfigError (field "validation file") naming what is wrong.
ValidationData parse_validation_json(const QByteArray& text);
ValidationData parse_validation_csv(const QByteArray& text);
ValidationData read_validation_file(const QString& path);  // .csv, otherwise JSON

}  // namespace flashscope::gui
