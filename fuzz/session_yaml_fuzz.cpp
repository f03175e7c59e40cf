// GUI session files (flashscope-gui --session FILE): session_from_yaml either returns a session
// or throws ConfigError naming the field; an accepted session saves to the same text again.
#include "flashscope/core/error.hpp"
#include "fuzz_support.hpp"
#include "session_file.hpp"

using namespace flashscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    gui::Session session;
    try {
        session = gui::session_from_yaml(fuzz::text_of(data, size));
    } catch (const ConfigError&) {
        return 0;
    }
    const std::string saved = gui::session_to_yaml(session);
    if (gui::session_to_yaml(gui::session_from_yaml(saved)) != saved) __builtin_trap();
    return 0;
}
