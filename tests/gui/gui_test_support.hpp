#pragma once
// Helpers for the GUI tests: typing into the panel's named fields and waiting for the simulation.
#include <QString>

#include "main_window.hpp"
#include "parameter_panel.hpp"

namespace flashscope::gui::test {

// Clears the field and types `text` key by key, as a user would.
void type_into(ParameterPanel& panel, const QString& field, const QString& text);
void choose(ParameterPanel& panel, const QString& field, const QString& item);
void set_checked(ParameterPanel& panel, const QString& field, bool checked);
// Waits until the controller is idle; false on timeout.
bool settle(MainWindow& window, int timeout_ms = 30000);
QString data_file(const char* name);

}  // namespace flashscope::gui::test
