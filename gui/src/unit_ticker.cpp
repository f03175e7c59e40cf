#include "unit_ticker.hpp"

#include "metric_format.hpp"

namespace flashscope::gui {

QString UnitTicker::getTickLabel(double tick, const QLocale& locale, QChar format_char,
                                 int precision) {
    switch (m_unit) {
        case Unit::bytes:
            return format_bytes(tick);
        case Unit::seconds:
            return format_seconds(tick);
        case Unit::fraction:
            return format_percent(tick);
        case Unit::plain:
            break;
    }
    return QCPAxisTicker::getTickLabel(tick, locale, format_char, precision);
}

}  // namespace flashscope::gui
