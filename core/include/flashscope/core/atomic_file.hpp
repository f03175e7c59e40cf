#pragma once
// Writes a whole file or nothing: the text goes to a temporary file beside the target, which is
// then renamed over it, so a reader never sees a half-written file.
#include <string>
#include <string_view>

namespace flashscope {

// Throws std::runtime_error naming the path when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace flashscope
