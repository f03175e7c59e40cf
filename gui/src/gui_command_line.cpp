#include "gui_command_line.hpp"

#include <set>

#include "flashscope/core/error.hpp"
#include "flashscope/core/number_text.hpp"

namespace flashscope::gui {
namespace {

struct GuiOption {
    const char* name;   // "--session"
    const char* alias;  // "-s", or nullptr
    const char* value;  // "FILE", or nullptr for a switch
    const char* help;
};

constexpr GuiOption k_options[] = {
    {"--session", "-s", "FILE", "open a session file (written by File > Save session)"},
    {"--validation", nullptr, "FILE", "open a validation file (written by flashscope validate)"},
    {"--render", nullptr, "DIR", "render every view into DIR as PNG and exit"},
    {"--size", nullptr, "WxH", "image size for --render (default 1200x720)"},
    {"--select-record", nullptr, "ROW", "select a validation record (row) before rendering"},
    {"--help", "-h", nullptr, "show this help and exit"},
    {"--version", nullptr, nullptr, "show the version and exit"},
};

// "--session", "-s", and "-session" too: Qt takes its own options with one dash or two, so a
// user may well type ours that way, and Qt would otherwise take -session for itself.
const GuiOption* find_option(const std::string& word) {
    const bool one_dash_long = word.size() > 2 && word[0] == '-' && word[1] != '-';
    for (const GuiOption& o : k_options)
        if (word == o.name || (o.alias && word == o.alias) ||
            (one_dash_long && "-" + word == o.name))
            return &o;
    return nullptr;
}

void apply(GuiCommandLine& line, const std::string& name, const std::string& value) {
    if (name == "--session") line.session = value;
    if (name == "--validation") line.validation = value;
    if (name == "--render") line.render = value;
    if (name == "--select-record")
        line.select_record = static_cast<int>(parse_whole(name, value, 0, 1 << 30));
    if (name == "--help") line.help = true;
    if (name == "--version") line.version = true;
    if (name == "--size") {
        const std::size_t x = value.find('x');
        if (x == std::string::npos) throw ConfigError(name, value, "must look like 1200x720");
        line.width = static_cast<int>(parse_whole(name, value.substr(0, x), 16, 16384));
        line.height = static_cast<int>(parse_whole(name, value.substr(x + 1), 16, 16384));
    }
    if (name != "--help" && name != "--version" && value.empty())
        throw ConfigError(name, "\"\"", "needs a value");
}

}  // namespace

GuiCommandLine parse_gui_command_line(const std::vector<std::string>& args) {
    GuiCommandLine line;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        const std::size_t equals = word.starts_with("-") ? word.find('=') : std::string::npos;
        const GuiOption* option = i == 0 ? nullptr : find_option(word.substr(0, equals));
        if (!option) {
            line.for_qt.push_back(word);
            continue;
        }
        if (!seen.insert(option->name).second)
            throw ConfigError(option->name, word, "is given twice");
        std::string value;
        if (option->value && equals != std::string::npos) {
            value = word.substr(equals + 1);
        } else if (option->value) {
            if (i + 1 == args.size())
                throw ConfigError(option->name, "", std::string("needs a ") + option->value);
            value = args[++i];
        } else if (equals != std::string::npos) {
            throw ConfigError(option->name, word, "takes no value");
        }
        apply(line, option->name, value);
    }
    return line;
}

std::string gui_help_text() {
    std::string text =
        "Usage: flashscope-gui [options] [Qt options such as -platform offscreen]\n"
        "Where attention's bytes and cycles go on a GPU.\n\nOptions:\n";
    for (const GuiOption& o : k_options) {
        std::string names = std::string(o.alias ? std::string(o.alias) + ", " : "    ") + o.name;
        if (o.value) names += std::string(" ") + o.value;
        text += "  " + names + std::string(names.size() < 26 ? 26 - names.size() : 1, ' ') +
                o.help + "\n";
    }
    return text;
}

}  // namespace flashscope::gui
