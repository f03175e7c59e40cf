// Rows to a stream (stdout) in index order, each as soon as every earlier row is done.
#include <map>

#include "flashscope/sweep/row_sink.hpp"

namespace flashscope::sweep {
namespace {

class StreamSink final : public RowSink {
public:
    StreamSink(std::ostream& out, const std::string& header, std::vector<std::int64_t> order)
        : m_out(out), m_order(std::move(order)) {
        m_out << header << std::flush;
    }

    void add(std::int64_t index, std::string line) override {
        m_waiting.emplace(index, std::move(line));
        bool wrote = false;
        while (m_next < m_order.size()) {
            auto it = m_waiting.find(m_order[m_next]);
            if (it == m_waiting.end()) break;
            m_out << it->second;
            m_waiting.erase(it);
            ++m_next;
            wrote = true;
        }
        if (wrote) m_out.flush();
    }

    void finish() override { m_out.flush(); }

private:
    std::ostream& m_out;
    std::vector<std::int64_t> m_order;
    std::size_t m_next = 0;
    std::map<std::int64_t, std::string> m_waiting;  // done, but an earlier row is not
};

}  // namespace

std::unique_ptr<RowSink> make_stream_sink(std::ostream& out, const std::string& header,
                                          std::vector<std::int64_t> order) {
    return std::make_unique<StreamSink>(out, header, std::move(order));
}

}  // namespace flashscope::sweep
