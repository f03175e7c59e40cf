#pragma once
// A fresh directory under the system temp folder, removed with everything in it at the end.
#include <filesystem>
#include <string>

namespace flashscope::sweep::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string path(const std::string& name) const { return (m_root / name).string(); }
    void write(const std::string& name, const std::string& text) const;
    std::string read(const std::string& name) const;

private:
    std::filesystem::path m_root;
};

std::string read_file(const std::string& path);

}  // namespace flashscope::sweep::test
