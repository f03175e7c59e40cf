#pragma once
// A session as YAML: the simulation options (the keys of a sweep file, one value each), the open
// view and the validation file, so a saved session reopens as it was:
//   flashscope_session: 2
//   gpu: h100-sxm5
//   batch: 4
//   ...
//   view: 0
//   validation_file: ""
// Version 1 files (problem: {...}, tile: {...}, algorithm: ...) are read too. A bad value, an
// unknown key or a configuration the simulator refuses throws ConfigError naming the key.
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
