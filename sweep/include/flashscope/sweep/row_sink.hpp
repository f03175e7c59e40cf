#pragma once
// Where finished rows go. A file sink rewrites its whole file atomically (temporary name, then
// rename) after every chunk, rows in index order, so a run killed at any moment leaves a valid
// file holding every chunk written so far. A stream sink writes rows to a stream in index order
// as soon as all earlier rows of the shard are done.
#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "flashscope/sweep/row_store.hpp"

namespace flashscope::sweep {

class RowSink {
public:
    virtual ~RowSink() = default;
    virtual void add(std::int64_t index, std::string line) = 0;
    virtual void finish() = 0;  // writes whatever is still pending
};

struct ChunkPolicy {
    std::int64_t rows =
        64;  // write after this many new rows (or a quarter of those already written)
    std::chrono::milliseconds interval{
        2000};  // ... or when this long has passed since the last write
};

// `existing` holds rows already in the file (from --resume); they are kept.
std::unique_ptr<RowSink> make_file_sink(std::string path, std::string header, RowStore existing,
                                        ChunkPolicy policy);
// `order`: the indices this run emits, ascending (already-done ones included are skipped).
std::unique_ptr<RowSink> make_stream_sink(std::ostream& out, const std::string& header,
                                          std::vector<std::int64_t> order);

}  // namespace flashscope::sweep
