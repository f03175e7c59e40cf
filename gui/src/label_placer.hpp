#pragma once
// Places text labels beside their data in a QCustomPlot so that no label covers another label, a
// point marker or a note. Placement runs after every layout of the plot (on screen, and for each
// PNG/SVG export at its own size), because pixel distances between points change with the size.
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <vector>

class QCustomPlot;
class QCPItemText;
class QCPItemLine;

namespace flashscope::gui {

class LabelPlacer : public QObject {
    Q_OBJECT
public:
    explicit LabelPlacer(QCustomPlot* plot);

    void clear();  // forget labels and markers (call when the plot's items are cleared)
    // A marker of `radius_px` at `coords` (plot coordinates) that no label may cover.
    void add_marker(QPointF coords, double radius_px);
    // A label for a row of markers from `left` to `right` (plot coordinates, same y): beside the
    // row when there is room, else moved up or down with a leader line back to it.
    void add_label(QCPItemText* text, QPointF left, QPointF right);
    // A note for the line ending at `end` (plot coordinates): right-aligned just above it, else
    // just below, else further away. Notes are placed before labels.
    void add_note(QCPItemText* text, QPointF end);

    // Where the last layout put each note and label, in pixels of that layout.
    const std::vector<QRectF>& placed_rects() const { return m_placed; }
    std::vector<QRectF> marker_rects() const;

private:
    struct Entry {
        QCPItemText* text;
        QPointF left, right;  // plot coordinates
        bool note;
        QCPItemLine* leader;  // labels only
    };
    void place();
    QPointF pixel(QPointF coords) const;

    QCustomPlot* m_plot;
    std::vector<Entry> m_entries;
    std::vector<std::pair<QPointF, double>> m_markers;
    std::vector<QRectF> m_placed;
};

}  // namespace flashscope::gui
