#pragma once
// Any table model as CSV: the horizontal headers, then one line per row. Cells use the raw value
// (Qt::UserRole) when the model gives one, else the displayed text.
#include <QAbstractItemModel>
#include <QString>

namespace flashscope::gui {

QString model_to_csv(const QAbstractItemModel& model);

}  // namespace flashscope::gui
