#include "validation_model.hpp"

#include <QColor>
#include <cmath>

#include "flashscope/core/metrics.hpp"

namespace flashscope::gui {

GuiConfiguration configuration_of(const validate::ValidationRun& run,
                                  const validate::ValidationRecord& record) {
    GuiConfiguration config;
    config.problem = record.key.problem;
    config.algorithm = record.key.algorithm;
    config.tile = record.key.tile;
    if (!run.gpu_preset.empty()) config.gpu = run.gpu_preset;
    config.model = run.model == "analytic" ? sim::Model::analytic : sim::Model::cycle;
    return config;
}

ValidationModel::ValidationModel(QObject* parent) : QAbstractTableModel(parent) {}

void ValidationModel::open(const QString& path) {
    set_data(validate::read_validation(path.toStdString()), path);
}

void ValidationModel::set_data(const validate::ValidationRun& run, const QString& path) {
    beginResetModel();
    m_run = run;
    m_run.errors =
        validate::summarize_errors(m_run.records);  // as the file's summary, whatever the source
    m_path = path;
    m_metrics.clear();
    for (const auto& info : metric_table()) {
        const std::string name(info.name);
        for (const auto& r : m_run.records) {
            if (r.is_measured(name)) {
                m_metrics.push_back(name);
                break;
            }
        }
    }
    endResetModel();
}

const validate::MetricErrorSummary* ValidationModel::error_summary(
    const std::string& metric) const {
    for (const auto& summary : m_run.errors)
        if (summary.metric == metric) return &summary;
    return nullptr;
}

int ValidationModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_run.records.size());
}

int ValidationModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : first_metric + static_cast<int>(m_metrics.size());
}

QVariant ValidationModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const auto& e = record(index.row());
    const auto& p = e.key.problem;
    if (index.column() >= first_metric) {
        const double err =
            e.relative_error(m_metrics.at(static_cast<std::size_t>(index.column() - first_metric)));
        if (role == Qt::UserRole) return std::isfinite(err) ? QVariant(err) : QVariant(QString());
        if (role == Qt::DisplayRole)
            return std::isfinite(err)
                       ? QStringLiteral("%1%2 %").arg(err >= 0 ? "+" : "").arg(err * 100, 0, 'f', 1)
                       : QStringLiteral("–");
        if (role == Qt::ForegroundRole && std::isfinite(err))
            return std::abs(err) <= 0.1    ? QColor(0x2c, 0x7f, 0x3c)
                   : std::abs(err) <= 0.25 ? QColor(0xb0, 0x70, 0x00)
                                           : QColor(0xc0, 0x20, 0x20);
        if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    switch (index.column()) {
        case algorithm:
            return QString::fromUtf8(to_string(e.key.algorithm));
        case shape:
            return QStringLiteral("B%1 H%2/%3 N%4×%5 d%6 %7%8 %9")
                .arg(p.batch)
                .arg(p.heads)
                .arg(p.kv_heads)
                .arg(p.seq_q)
                .arg(p.seq_k)
                .arg(p.head_dim)
                .arg(QString::fromUtf8(to_string(p.dtype)))
                .arg(p.causal ? QStringLiteral(" causal") : QString())
                .arg(QString::fromUtf8(to_string(p.pass)));
        case tile:
            return QStringLiteral("%1×%2 w%3 s%4")
                .arg(e.key.tile.block_m)
                .arg(e.key.tile.block_n)
                .arg(e.key.tile.warps)
                .arg(e.key.tile.stages);
        case kernel:
            return QString::fromStdString(e.key.kernel);
        default:
            return {};
    }
}

QVariant ValidationModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    switch (section) {
        case algorithm:
            return QStringLiteral("algorithm");
        case shape:
            return QStringLiteral("problem");
        case tile:
            return QStringLiteral("tile");
        case kernel:
            return QStringLiteral("kernel");
        default:
            break;
    }
    const auto m = static_cast<std::size_t>(section - first_metric);
    return m < m_metrics.size()
               ? QStringLiteral("error %1").arg(QString::fromStdString(m_metrics[m]))
               : QVariant();
}

}  // namespace flashscope::gui
