// The chunked, atomically rewritten output file of a sweep (see row_sink.hpp).
#include <algorithm>

#include "flashscope/core/atomic_file.hpp"
#include "flashscope/sweep/row_sink.hpp"

namespace flashscope::sweep {
namespace {

using Clock = std::chrono::steady_clock;

class FileSink final : public RowSink {
public:
    FileSink(std::string path, std::string header, RowStore existing, ChunkPolicy policy)
        : m_path(std::move(path)),
          m_header(std::move(header)),
          m_store(std::move(existing)),
          m_policy(policy),
          m_last_write(Clock::now()) {
        write();  // the file exists (with its header) from the start
    }

    void add(std::int64_t index, std::string line) override {
        if (m_store.add(index, std::move(line))) ++m_pending;
        const std::int64_t threshold = std::max(m_policy.rows, m_store.size() / 4);
        if (m_pending >= threshold || (m_pending > 0 && Clock::now() - m_last_write >= m_gap))
            write();
    }

    void finish() override {
        if (m_pending > 0) write();
    }

private:
    // A rewrite of a large file takes long: space timed rewrites so they cost at most ~20 % of
    // the wall time, however big the file grows.
    void write() {
        const auto begin = Clock::now();
        write_file_atomically(m_path, m_store.content(m_header));
        m_pending = 0;
        m_last_write = Clock::now();
        m_gap = std::max<Clock::duration>(m_policy.interval, 4 * (m_last_write - begin));
    }

    std::string m_path;
    std::string m_header;
    RowStore m_store;
    ChunkPolicy m_policy;
    std::int64_t m_pending = 0;
    Clock::time_point m_last_write;
    Clock::duration m_gap{};  // set by the first write(), in the constructor
};

}  // namespace

std::unique_ptr<RowSink> make_file_sink(std::string path, std::string header, RowStore existing,
                                        ChunkPolicy policy) {
    return std::make_unique<FileSink>(std::move(path), std::move(header), std::move(existing),
                                      policy);
}

}  // namespace flashscope::sweep
