#include "model_csv.hpp"

#include <QStringList>

namespace flashscope::gui {

namespace {

QString csv_cell(const QVariant& value) {
    QString text = value.typeId() == QMetaType::Double ? QString::number(value.toDouble(), 'g', 17)
                                                       : value.toString();
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
        text.contains(QLatin1Char('\n'))) {
        text.replace(QLatin1String("\""), QLatin1String("\"\""));
        text = QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

}  // namespace

QString model_to_csv(const QAbstractItemModel& model) {
    QString out;
    QStringList cells;
    for (int c = 0; c < model.columnCount(); ++c)
        cells << csv_cell(model.headerData(c, Qt::Horizontal, Qt::DisplayRole));
    out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < model.rowCount(); ++r) {
        cells.clear();
        for (int c = 0; c < model.columnCount(); ++c) {
            const auto index = model.index(r, c);
            const auto raw = model.data(index, Qt::UserRole);
            cells << csv_cell(raw.isValid() ? raw : model.data(index, Qt::DisplayRole));
        }
        out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

}  // namespace flashscope::gui
