#include "flashscope/core/atomic_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace flashscope;

TEST(AtomicFile, ReplacesContentAndLeavesNoTemporary) {
    const auto dir = std::filesystem::temp_directory_path() / "flashscope_atomic_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "out.txt").string();
    write_file_atomically(path, "first");
    write_file_atomically(path, "second");
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "second");
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 1);
    std::filesystem::remove_all(dir);
}

TEST(AtomicFile, UnwritableDirectoryThrowsNamingThePath) {
    try {
        write_file_atomically("/nonexistent-dir/x.txt", "x");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x.txt"), std::string::npos);
    }
}
