#include "validation_file_reader.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <cmath>
#include <limits>

#include "flashscope/core/error.hpp"

namespace flashscope::gui {

namespace {

[[noreturn]] void fail(const QString& value, const QString& limit) {
    throw ConfigError("validation file", value.toStdString(), limit.toStdString());
}

std::map<std::string, double> numbers(const QJsonObject& object) {
    std::map<std::string, double> out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out[it.key().toStdString()] = it.value().isDouble() ? it.value().toDouble()
                                                            : std::numeric_limits<double>::quiet_NaN();
    return out;
}

sim::Model model_or_cycle(const QString& text) {
    return text == QLatin1String("analytic") ? sim::Model::analytic : sim::Model::cycle;
}

ValidationEntry entry_from_json(const QJsonObject& r, const ValidationData& run) {
    ValidationEntry e;
    const auto p = r.value(QLatin1String("problem")).toObject();
    const auto t = r.value(QLatin1String("tile")).toObject();
    if (p.isEmpty() || t.isEmpty()) fail(QStringLiteral("record"), QStringLiteral("has no problem or tile"));
    auto& problem = e.config.problem;
    problem.batch = p.value(QLatin1String("batch")).toInteger();
    problem.heads = p.value(QLatin1String("heads")).toInteger();
    problem.kv_heads = p.value(QLatin1String("kv_heads")).toInteger();
    problem.seq_q = p.value(QLatin1String("seq_q")).toInteger();
    problem.seq_k = p.value(QLatin1String("seq_k")).toInteger();
    problem.head_dim = p.value(QLatin1String("head_dim")).toInteger();
    problem.dtype = parse_dtype(p.value(QLatin1String("dtype")).toString().toStdString());
    problem.causal = p.value(QLatin1String("causal")).toBool();
    problem.pass = parse_pass(p.value(QLatin1String("pass")).toString().toStdString());
    e.config.algorithm = parse_algorithm(r.value(QLatin1String("algorithm")).toString().toStdString());
    e.config.tile = {t.value(QLatin1String("block_m")).toInteger(), t.value(QLatin1String("block_n")).toInteger(),
                     t.value(QLatin1String("warps")).toInteger(), t.value(QLatin1String("stages")).toInteger()};
    if (!run.gpu_preset.isEmpty()) e.config.gpu = run.gpu_preset.toStdString();
    e.config.model = model_or_cycle(run.model);
    e.kernel = r.value(QLatin1String("kernel")).toString();
    e.predicted = numbers(r.value(QLatin1String("predicted")).toObject());
    e.measured = numbers(r.value(QLatin1String("measured")).toObject());
    return e;
}

}  // namespace

double ValidationEntry::relative_error(const std::string& metric) const {
    const auto m = measured.find(metric);
    const auto p = predicted.find(metric);
    if (m == measured.end() || p == predicted.end() || !std::isfinite(m->second) || m->second == 0)
        return std::numeric_limits<double>::quiet_NaN();
    return (p->second - m->second) / m->second;
}

ValidationData parse_validation_json(const QByteArray& text) {
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(text, &error);
    if (doc.isNull()) fail(QStringLiteral("(JSON)"), error.errorString());
    const auto root = doc.object();
    const auto schema = root.value(QLatin1String("schema")).toString();
    if (schema != QLatin1String(k_validation_schema_name))
        fail(schema, QStringLiteral("expected schema ") + QLatin1String(k_validation_schema_name));
    ValidationData run;
    run.device = root.value(QLatin1String("device")).toString();
    run.gpu_preset = root.value(QLatin1String("gpu_preset")).toString();
    run.model = root.value(QLatin1String("model")).toString();
    run.suite = root.value(QLatin1String("suite")).toString();
    run.date = root.value(QLatin1String("date")).toString();
    for (const auto& r : root.value(QLatin1String("records")).toArray())
        run.records.push_back(entry_from_json(r.toObject(), run));
    return run;
}

ValidationData parse_validation_csv(const QByteArray& text) {
    auto lines = QString::fromUtf8(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.isEmpty()) fail(QStringLiteral("(CSV)"), QStringLiteral("is empty"));
    const auto header = lines.takeFirst().trimmed().split(QLatin1Char(','));
    ValidationData run;
    for (const auto& line : lines) {
        const auto cells = line.trimmed().split(QLatin1Char(','));
        if (cells.size() != header.size()) fail(line.left(40), QStringLiteral("has a different column count than the header"));
        const auto cell = [&](const char* name) { return cells.value(header.indexOf(QLatin1String(name))); };
        if (cell("schema") != QLatin1String(k_validation_schema_name))
            fail(cell("schema"), QStringLiteral("expected schema ") + QLatin1String(k_validation_schema_name));
        run.device = cell("device");
        run.gpu_preset = cell("gpu_preset");
        run.model = cell("model");
        ValidationEntry e;
        auto& p = e.config.problem;
        p.batch = cell("batch").toLongLong();
        p.heads = cell("heads").toLongLong();
        p.kv_heads = cell("kv_heads").toLongLong();
        p.seq_q = cell("seq_q").toLongLong();
        p.seq_k = cell("seq_k").toLongLong();
        p.head_dim = cell("head_dim").toLongLong();
        p.dtype = parse_dtype(cell("dtype").toStdString());
        p.causal = cell("causal") == QLatin1String("true");
        p.pass = parse_pass(cell("pass").toStdString());
        e.config.algorithm = parse_algorithm(cell("algorithm").toStdString());
        e.config.tile = {cell("block_m").toLongLong(), cell("block_n").toLongLong(), cell("warps").toLongLong(),
                         cell("stages").toLongLong()};
        if (!run.gpu_preset.isEmpty()) e.config.gpu = run.gpu_preset.toStdString();
        e.config.model = model_or_cycle(run.model);
        e.kernel = cell("kernel");
        for (int c = 0; c < header.size(); ++c) {
            bool ok = false;
            const double v = cells[c].toDouble(&ok);
            if (!ok) continue;
            if (header[c].startsWith(QLatin1String("predicted_")))
                e.predicted[header[c].mid(10).toStdString()] = v;
            else if (header[c].startsWith(QLatin1String("measured_")))
                e.measured[header[c].mid(9).toStdString()] = v;
        }
        run.records.push_back(std::move(e));
    }
    return run;
}

ValidationData read_validation_file(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) fail(path, QStringLiteral("cannot be read: ") + file.errorString());
    const auto text = file.readAll();
    auto run = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) ? parse_validation_csv(text)
                                                                       : parse_validation_json(text);
    run.path = path;
    return run;
}

}  // namespace flashscope::gui
