#pragma once
// Human-readable numbers for labels and tables: bytes in binary units, seconds, FLOP and rates.
#include <QString>

namespace flashscope::gui {

QString format_bytes(double bytes);                       // "4.25 GiB"
QString format_seconds(double seconds);                   // "1.549 ms"
QString format_count(double value, const QString& unit);  // "549.8 GFLOP", "3.35 TB/s"
QString format_percent(double fraction);                  // "71 %"

}  // namespace flashscope::gui
