#pragma once
// The About box's text: flashscope's version and the versions of Qt, QCustomPlot and yaml-cpp
// this build uses.
#include <QString>

namespace flashscope::gui {

QString flashscope_version();
QString about_text();  // rich text

}  // namespace flashscope::gui
