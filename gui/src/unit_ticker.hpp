#pragma once
// An axis ticker whose labels carry units ("1.25 ms", "3.2 GiB", "45 %") instead of raw numbers.
#include <qcustomplot.h>

namespace flashscope::gui {

class UnitTicker : public QCPAxisTicker {
public:
    enum class Unit { bytes, seconds, fraction, plain };
    explicit UnitTicker(Unit unit) : m_unit(unit) {}

protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar format_char,
                         int precision) override;

private:
    Unit m_unit;
};

}  // namespace flashscope::gui
