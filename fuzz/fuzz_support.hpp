#pragma once
// Shared by the harnesses: the input as text, and a scratch file for readers that take a path.
// A harness returns normally when the parser accepted the input or refused it through its error
// contract; anything else (another exception, a crash, a sanitizer report) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace flashscope::fuzz {

inline std::string text_of(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// A file of this process in the temporary folder, rewritten for each input.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& suffix)
        : m_path(temp_dir() + "/flashscope_fuzz_" + std::to_string(getpid()) + "_" + suffix) {}
    ~ScratchFile() { std::remove(m_path.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const std::string& write(const std::string& content) const {
        std::FILE* f = std::fopen(m_path.c_str(), "wb");
        if (f == nullptr) __builtin_trap();  // the harness itself cannot work
        std::fwrite(content.data(), 1, content.size(), f);
        std::fclose(f);
        return m_path;
    }
    const std::string& path() const { return m_path; }

private:
    // Memory-backed where possible: ext4 flushes a truncated-and-rewritten file on close, which
    // costs more than the parse it feeds.
    static std::string temp_dir() {
        const char* dir = std::getenv("TMPDIR");
        if (dir != nullptr && *dir != '\0') return dir;
        return access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    }
    std::string m_path;
};

}  // namespace flashscope::fuzz
