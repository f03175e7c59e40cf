#pragma once
// A session as YAML: every panel field, the open view and the validation file, so a saved
// session reopens as it was. Unknown keys are ignored; bad values throw ConfigError naming them.
#include <string>

#include "gui_configuration.hpp"

namespace flashscope::gui {

struct Session {
    GuiConfiguration config;
    int current_view = 0;
    std::string validation_file;  // empty: none

    bool operator==(const Session&) const = default;
};

std::string session_to_yaml(const Session& session);
Session session_from_yaml(const std::string& text);
void save_session(const std::string& path, const Session& session);  // atomically
Session load_session(const std::string& path);

}  // namespace flashscope::gui
