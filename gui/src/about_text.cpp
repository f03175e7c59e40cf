#include "about_text.hpp"

#include <qcustomplot.h>

#include <QtGlobal>

#ifndef FLASHSCOPE_YAML_CPP_VERSION
#define FLASHSCOPE_YAML_CPP_VERSION "unknown"
#endif
#ifndef FLASHSCOPE_VERSION
#define FLASHSCOPE_VERSION "unknown"
#endif

namespace flashscope::gui {

QString flashscope_version() {
    return QStringLiteral(FLASHSCOPE_VERSION);
}

QString about_text() {
    return QStringLiteral(
               "<h3>flashscope-gui %1</h3>"
               "<p>Shows where attention's bytes and cycles go on a GPU: naive attention against "
               "FlashAttention 1 and 2, from HBM to the tensor cores, as the flashscope simulator "
               "predicts them, next to measured hardware counters.</p>"
               "<p>Qt %2 (built with %3)<br>QCustomPlot %4<br>yaml-cpp %5<br>C++ standard %6</p>")
        .arg(flashscope_version(), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             QStringLiteral(QCUSTOMPLOT_VERSION_STR), QStringLiteral(FLASHSCOPE_YAML_CPP_VERSION))
        .arg(static_cast<long long>(__cplusplus));
}

}  // namespace flashscope::gui
