#pragma once
// flashscope-gui's own options, read before Qt sees the command line: Qt takes -session/--session
// for X11 session management and would silently drop the file. What is not ours (-platform,
// -style, ...) is handed to Qt; whatever Qt does not use either is an unknown option.
#include <string>
#include <vector>

namespace flashscope::gui {

struct GuiCommandLine {
    std::string session;             // --session/-s FILE
    std::string validation;          // --validation FILE
    std::string render;              // --render DIR
    int width = 1200, height = 720;  // --size WxH
    int select_record = -1;          // --select-record ROW
    bool help = false, version = false;
    std::vector<std::string> for_qt;  // argv[0] and every argument that is not ours
};

// Throws ConfigError naming the option: a missing or bad value, an option given twice.
GuiCommandLine parse_gui_command_line(
    const std::vector<std::string>& args);  // args[0]: the program

std::string gui_help_text();

}  // namespace flashscope::gui
