#include "metric_format.hpp"

#include <cmath>

namespace flashscope::gui {

QString format_bytes(double bytes) {
    if (!std::isfinite(bytes)) return QStringLiteral("–");
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int unit = 0;
    double value = bytes;
    while (std::abs(value) >= 1024.0 && unit < 5) {
        value /= 1024.0;
        ++unit;
    }
    return unit == 0
               ? QStringLiteral("%1 B").arg(value, 0, 'f', 0)
               : QStringLiteral("%1 %2").arg(value, 0, 'f', value < 10 ? 2 : 1).arg(units[unit]);
}

QString format_seconds(double seconds) {
    if (!std::isfinite(seconds)) return QStringLiteral("–");
    if (seconds >= 1) return QStringLiteral("%1 s").arg(seconds, 0, 'f', 3);
    if (seconds >= 1e-3) return QStringLiteral("%1 ms").arg(seconds * 1e3, 0, 'f', 3);
    return QStringLiteral("%1 µs").arg(seconds * 1e6, 0, 'f', 1);
}

QString format_count(double value, const QString& unit) {
    if (!std::isfinite(value)) return QStringLiteral("–");
    static const char* const prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
    int prefix = 0;
    while (std::abs(value) >= 1000.0 && prefix < 6) {
        value /= 1000.0;
        ++prefix;
    }
    return QStringLiteral("%1 %2%3")
        .arg(value, 0, 'f', value < 10 ? 2 : 1)
        .arg(prefixes[prefix])
        .arg(unit);
}

QString format_percent(double fraction) {
    if (!std::isfinite(fraction)) return QStringLiteral("–");
    return QStringLiteral("%1 %").arg(fraction * 100.0, 0, 'f', fraction < 0.1 ? 1 : 0);
}

}  // namespace flashscope::gui
