#pragma once
// Writes a whole file or nothing: the text goes to a temporary file beside the target, which is
// then renamed over it, so a reader never sees a half-written file.
#include <string>
#include <string_view>

namespace flashscope {

// Throws std::runtime_error naming the path when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view content);

// Checked before any work is done: `path` is not empty, not a folder, and its folder exists and
// accepts a new file (a temporary one is created there and removed). Throws ConfigError naming
// `field` (the flag or key that gave the path).
void check_output_path(const std::string& field, const std::string& path);

}  // namespace flashscope
