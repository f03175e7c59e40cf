#include "exportable_view.hpp"

namespace flashscope::gui {

ExportableView::~ExportableView() = default;

}  // namespace flashscope::gui
