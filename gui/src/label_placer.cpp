#include "label_placer.hpp"

#include <qcustomplot.h>

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>
#include <optional>

namespace flashscope::gui {

namespace {

constexpr double k_gap_px = 8;   // between a marker row and its label
constexpr int k_max_steps = 24;  // how far (in label heights) a label may move up or down

QSizeF text_box(const QCPItemText& text) {
    const QFontMetricsF metrics(text.font());
    const QRectF box =
        metrics.boundingRect(QRectF(0, 0, 1e6, 1e6), Qt::AlignLeft | Qt::AlignTop, text.text());
    const QMargins pad = text.padding();
    return {std::ceil(box.width()) + pad.left() + pad.right() + 1,
            std::ceil(box.height()) + pad.top() + pad.bottom()};
}

QPointF closest_point(const QRectF& rect, QPointF p) {
    return {std::clamp(p.x(), rect.left(), rect.right()),
            std::clamp(p.y(), rect.top(), rect.bottom())};
}

}  // namespace

LabelPlacer::LabelPlacer(QCustomPlot* plot) : QObject(plot), m_plot(plot) {
    connect(m_plot, &QCustomPlot::afterLayout, this, &LabelPlacer::place);
}

void LabelPlacer::clear() {
    m_entries.clear();
    m_markers.clear();
    m_placed.clear();
}

void LabelPlacer::add_marker(QPointF coords, double radius_px) {
    m_markers.emplace_back(coords, radius_px);
}

void LabelPlacer::add_label(QCPItemText* text, QPointF left, QPointF right) {
    auto* leader = new QCPItemLine(m_plot);
    leader->setPen(QPen(text->color(), 0.8));
    leader->setVisible(false);
    m_entries.push_back({text, left, right, false, leader});
}

void LabelPlacer::add_note(QCPItemText* text, QPointF end) {
    m_entries.push_back({text, end, end, true, nullptr});
}

QPointF LabelPlacer::pixel(QPointF coords) const {
    return {m_plot->xAxis->coordToPixel(coords.x()), m_plot->yAxis->coordToPixel(coords.y())};
}

std::vector<QRectF> LabelPlacer::marker_rects() const {
    std::vector<QRectF> rects;
    for (const auto& [coords, r] : m_markers) {
        const QPointF p = pixel(coords);
        rects.emplace_back(p.x() - r, p.y() - r, 2 * r, 2 * r);
    }
    return rects;
}

void LabelPlacer::place() {
    m_placed.clear();
    const QRectF area = m_plot->axisRect()->rect();
    const std::vector<QRectF> markers = marker_rects();
    const auto free = [&](const QRectF& r) {
        if (!area.contains(r)) return false;
        const QRectF spaced = r.adjusted(-1, -1, 1, 1);
        const auto hits = [&](const QRectF& other) { return spaced.intersects(other); };
        return std::none_of(markers.begin(), markers.end(), hits) &&
               std::none_of(m_placed.begin(), m_placed.end(), hits);
    };
    // Notes first, so that kernel labels make room for them.
    std::vector<const Entry*> order;
    for (const auto& e : m_entries)
        if (e.note) order.push_back(&e);
    for (const auto& e : m_entries)
        if (!e.note) order.push_back(&e);

    for (const Entry* e : order) {
        const QSizeF size = text_box(*e->text);
        const double w = size.width(), h = size.height();
        const QPointF left = pixel(e->left), right = pixel(e->right);
        // Candidate top-left corners, nearest first; `anchor` is where a leader would start.
        std::vector<std::pair<QPointF, int>> candidates;  // (top-left, steps away)
        for (int step = 0; step <= k_max_steps; ++step) {
            for (const int sign : {-1, 1}) {
                if (step == 0 && sign == 1 && !e->note) continue;
                const double dy = sign * step * (h + 2);
                if (e->note) {
                    const double y = sign < 0 ? right.y() - h - 2 + dy : right.y() + 2 + dy;
                    candidates.push_back({{right.x() - w - 4, y}, step});
                } else {
                    candidates.push_back({{right.x() + k_gap_px, right.y() - h / 2 + dy}, step});
                    candidates.push_back({{left.x() - k_gap_px - w, left.y() - h / 2 + dy}, step});
                }
            }
        }
        std::optional<std::pair<QPointF, int>> chosen;
        for (const auto& c : candidates) {
            if (free(QRectF(c.first, size))) {
                chosen = c;
                break;
            }
        }
        const auto [top_left, steps] = chosen.value_or(candidates.front());
        const QRectF rect(top_left, size);
        e->text->position->setType(QCPItemPosition::ptAbsolute);
        e->text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        e->text->position->setCoords(top_left);
        m_placed.push_back(rect);
        if (e->leader) {
            // A label moved off its row points back at the nearer end of the row.
            const bool on_right = rect.center().x() >= (left.x() + right.x()) / 2;
            const QPointF from = on_right ? e->right : e->left;
            e->leader->setVisible(steps > 0);
            e->leader->start->setCoords(from);
            e->leader->end->setType(QCPItemPosition::ptAbsolute);
            e->leader->end->setCoords(closest_point(rect, on_right ? right : left));
        }
    }
}

}  // namespace flashscope::gui
