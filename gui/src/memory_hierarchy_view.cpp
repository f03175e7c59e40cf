#include "memory_hierarchy_view.hpp"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "metric_format.hpp"
#include "plot_style.hpp"

namespace flashscope::gui {

namespace {

using Row = MemoryHierarchyModel::Row;

const QColor k_text(0x22, 0x22, 0x22);
const QColor k_muted(0x66, 0x66, 0x66);

// Restores the painter's pen, brush and font when a drawing helper returns.
class PainterStateGuard {
public:
    explicit PainterStateGuard(QPainter& painter) : m_painter(painter) { m_painter.save(); }
    ~PainterStateGuard() { m_painter.restore(); }
    PainterStateGuard(const PainterStateGuard&) = delete;
    PainterStateGuard& operator=(const PainterStateGuard&) = delete;

private:
    QPainter& m_painter;
};

void draw_box(QPainter& p, const QRectF& r, const QColor& fill, const QString& name,
              const QString& detail) {
    const PainterStateGuard keep(p);
    p.setPen(QPen(fill.darker(140), 1.5));
    p.setBrush(fill);
    p.drawRoundedRect(r, 8, 8);
    QFont bold = p.font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() + 1);
    p.setFont(bold);
    p.setPen(k_text);
    p.drawText(r.adjusted(12, 6, -12, -r.height() / 2), Qt::AlignLeft | Qt::AlignVCenter, name);
    QFont normal = bold;
    normal.setBold(false);
    normal.setPointSizeF(normal.pointSizeF() - 1.5);
    p.setFont(normal);
    p.setPen(k_muted);
    p.drawText(r.adjusted(12, r.height() / 2, -12, -6), Qt::AlignLeft | Qt::AlignVCenter, detail);
}

// A vertical link between two boxes: thickness and colour grow with the fraction of peak.
void draw_link(QPainter& p, const QRectF& r, double fraction, const QString& label,
               const QString& rate) {
    const PainterStateGuard keep(p);
    const double f = std::isfinite(fraction) ? std::clamp(fraction, 0.0, 1.0) : 0.0;
    // Busier links are thicker and darker.
    const QColor colour = QColor::fromHsvF(0.58f, static_cast<float>(0.3 + 0.6 * f),
                                           static_cast<float>(0.95 - 0.35 * f));
    const double width = 4 + 18 * f;
    const double x = r.left() + 40;
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawRect(QRectF(x - width / 2, r.top() + 10, width, r.height() - 20));
    QPainterPath up, down;
    up.moveTo(x, r.top());
    up.lineTo(x - width / 2 - 6, r.top() + 12);
    up.lineTo(x + width / 2 + 6, r.top() + 12);
    down.moveTo(x, r.bottom());
    down.lineTo(x - width / 2 - 6, r.bottom() - 12);
    down.lineTo(x + width / 2 + 6, r.bottom() - 12);
    p.drawPath(up);
    p.drawPath(down);
    QFont bold = p.font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(k_text);
    const QRectF text(x + 28, r.top(), r.width() - 80, r.height() / 2);
    p.drawText(text, Qt::AlignLeft | Qt::AlignBottom, label);
    bold.setBold(false);
    p.setFont(bold);
    p.setPen(colour.darker(150));
    p.drawText(text.translated(0, r.height() / 2), Qt::AlignLeft | Qt::AlignTop, rate);
}

}  // namespace

MemoryHierarchyView::MemoryHierarchyView(MemoryHierarchyModel* model, QWidget* parent)
    : QWidget(parent), m_model(model) {
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, Qt::white);
    setPalette(pal);
    connect(m_model, &QAbstractItemModel::modelReset, this, qOverload<>(&QWidget::update));
}

void MemoryHierarchyView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), Qt::white);
    QFont font = p.font();
    font.setPointSize(9);
    p.setFont(font);
    if (!m_model->has_data()) {
        p.setPen(k_muted);
        p.drawText(rect(), Qt::AlignCenter, tr("No result yet"));
        return;
    }
    const auto& gpu = m_model->gpu();
    QFont title = font;
    title.setPointSize(11);
    title.setBold(true);
    p.setFont(title);
    p.setPen(k_text);
    const auto& r = m_model->tiled() ? m_model->tiled() : m_model->naive();
    const auto& pr = r->problem;
    p.drawText(
        QRectF(0, 6, width(), 24), Qt::AlignCenter,
        tr("Memory hierarchy · %1 · B%2 H%3 N%4 d%5 %6 %7 · %8 model")
            .arg(QString::fromStdString(gpu.name))
            .arg(pr.batch)
            .arg(pr.heads)
            .arg(pr.seq_q)
            .arg(pr.head_dim)
            .arg(QString::fromUtf8(to_string(pr.dtype)), QString::fromUtf8(to_string(pr.pass)),
                 QString::fromUtf8(sim::to_string(r->model))));
    p.setFont(font);
    const double margin = 16;
    const double half = (width() - 3 * margin) / 2;
    paint_side(p, QRectF(margin, 36, half, height() - 46), 0);
    paint_side(p, QRectF(2 * margin + half, 36, half, height() - 46), 1);
}

void MemoryHierarchyView::paint_side(QPainter& p, const QRectF& area, int side) const {
    const auto& result = side == 0 ? m_model->naive() : m_model->tiled();
    const auto& gpu = m_model->gpu();
    p.setPen(QPen(QColor(0xdd, 0xdd, 0xdd), 1));
    p.setBrush(QColor(0xfa, 0xfa, 0xfa));
    p.drawRoundedRect(area, 10, 10);
    if (!result) {
        p.setPen(k_muted);
        p.drawText(area, Qt::AlignCenter, tr("not simulated"));
        return;
    }
    const QColor accent = algorithm_colour(result->algorithm);
    QFont font = p.font();
    QFont heading = font;
    heading.setPointSize(11);
    heading.setBold(true);
    p.setFont(heading);
    p.setPen(accent.darker(120));
    const QRectF head(area.left() + 12, area.top() + 8, area.width() - 24, 22);
    p.drawText(head, Qt::AlignLeft | Qt::AlignVCenter,
               tr("%1 · %2 kernel(s)").arg(m_model->side_title(side)).arg(result->kernels.size()));
    p.drawText(head, Qt::AlignRight | Qt::AlignVCenter, format_seconds(result->totals.time_s));
    p.setFont(font);

    // Footprint bar under the heading.
    const double footprint = m_model->amount(Row::footprint, side);
    const double fraction = m_model->fraction(Row::footprint, side);
    const QRectF bar(area.left() + 12, head.bottom() + 22, area.width() - 24, 10);
    p.setPen(k_text);
    p.drawText(
        QRectF(bar.left(), head.bottom() + 2, bar.width(), 18), Qt::AlignLeft | Qt::AlignVCenter,
        tr("HBM footprint %1 of %2 (%3)%4")
            .arg(format_bytes(footprint), format_bytes(static_cast<double>(gpu.hbm_size_bytes)),
                 format_percent(fraction), result->fits_hbm ? QString() : tr(" — does not fit!")));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xe8, 0xe8, 0xe8));
    p.drawRoundedRect(bar, 4, 4);
    p.setBrush(result->fits_hbm ? accent : QColor(0xc0, 0x00, 0x00));
    p.drawRoundedRect(
        QRectF(bar.left(), bar.top(), bar.width() * std::clamp(fraction, 0.004, 1.0), bar.height()),
        4, 4);

    // Four levels with three links between them.
    const double top = bar.bottom() + 16;
    const double box_h = std::max(44.0, (area.bottom() - top - 12) * 0.13);
    const double link_h = (area.bottom() - top - 12 - 4 * box_h) / 3;
    const double left = area.left() + 16;
    const double w = area.width() - 32;
    const auto box = [&](int level) {
        return QRectF(left, top + level * (box_h + link_h), w, box_h);
    };
    const auto link = [&](int level) {
        return QRectF(left, top + level * (box_h + link_h) + box_h, w, link_h);
    };

    const DType dtype = result->problem.dtype;
    draw_box(p, box(0), QColor(0xfd, 0xe2, 0xe2), tr("HBM"),
             tr("%1 · %2/s peak")
                 .arg(format_bytes(static_cast<double>(gpu.hbm_size_bytes)),
                      format_count(gpu.hbm_bytes_per_s, QStringLiteral("B"))));
    draw_box(p, box(1), QColor(0xfe, 0xed, 0xd6), tr("L2 cache"),
             gpu.l2_enabled() ? tr("%1 · %2/s peak")
                                    .arg(format_bytes(static_cast<double>(gpu.l2_size_bytes)),
                                         format_count(gpu.l2_bytes_per_s(), QStringLiteral("B")))
                              : tr("disabled"));
    draw_box(p, box(2), QColor(0xdf, 0xf0, 0xdf), tr("SRAM / %1 SMs").arg(gpu.sm_count),
             tr("%1 per SM · %2/s peak")
                 .arg(format_bytes(static_cast<double>(gpu.sram_per_sm_bytes)),
                      format_count(peak_sram_bytes_per_s(gpu), QStringLiteral("B"))));
    draw_box(p, box(3), QColor(0xdc, 0xe9, 0xf7), tr("Tensor cores"),
             tr("%1 of %2 peak (%3 %4)")
                 .arg(format_count(m_model->amount(Row::tensor_work, side), QStringLiteral("FLOP")),
                      format_count(peak_tensor_flops_per_s(gpu, dtype), QStringLiteral("FLOP/s")),
                      format_percent(m_model->fraction(Row::tensor_work, side)), tr("achieved")));
    const Row links[] = {Row::hbm_link, Row::l2_link, Row::sram_link};
    for (int i = 0; i < 3; ++i) {
        const double bytes = m_model->amount(links[i], side);
        const double f = m_model->fraction(links[i], side);
        const double rate = result->totals.time_s > 0 ? bytes / result->totals.time_s : 0;
        draw_link(p, link(i), f, tr("%1 moved").arg(format_bytes(bytes)),
                  tr("%1/s · %2 of peak")
                      .arg(format_count(rate, QStringLiteral("B")), format_percent(f)));
    }
}

}  // namespace flashscope::gui
