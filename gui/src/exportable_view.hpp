#pragma once
// What every view offers the main window and the exporters: a name for files, the widget that
// paints the picture (a QCustomPlot or a QPainter widget) and the model holding its data.
#include <QString>

class QAbstractItemModel;
class QWidget;

namespace flashscope::gui {

class ExportableView {
public:
    virtual ~ExportableView();
    virtual QString export_name() const = 0;  // file stem, e.g. "tile_explorer"
    virtual QString title() const = 0;        // tab title
    virtual QWidget* picture_widget() = 0;
    virtual const QAbstractItemModel* data_model() const = 0;
};

}  // namespace flashscope::gui
