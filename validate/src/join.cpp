#include "flashscope/validate/join.hpp"

#include <unordered_map>

namespace flashscope::validate {

JoinResult join(const std::vector<PredictedKernel>& predicted,
                const std::vector<MeasuredKernel>& measured) {
    std::unordered_map<std::string, const PredictedKernel*> by_key;
    for (const auto& p : predicted) by_key.emplace(to_string(p.key), &p);
    JoinResult result;
    std::unordered_map<std::string, bool> used;
    for (const auto& m : measured) {
        const std::string key = to_string(m.key);
        const auto it = by_key.find(key);
        if (it == by_key.end()) {
            result.measured_only.push_back(m.key);
            continue;
        }
        used[key] = true;
        ValidationRecord r;
        r.key = m.key;
        r.predicted = it->second->metrics;
        r.measured = m.metrics;
        r.measured_fields = m.fields;
        r.counters = m.counters;
        r.sm_clock_hz = m.sm_clock_hz;
        r.counter_time_s = m.counter_time_s;
        result.records.push_back(std::move(r));
    }
    for (const auto& p : predicted)
        if (!used.count(to_string(p.key))) result.predicted_only.push_back(p.key);
    return result;
}

}  // namespace flashscope::validate
