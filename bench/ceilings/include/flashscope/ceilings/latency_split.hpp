#pragma once
// Per-load latencies from a pointer chase, split into a fast and a slow group: on H100/H200 the
// L2 is two partitions, and a line in the far one costs more cycles than one in the near one.
#include <string>
#include <vector>

namespace flashscope::ceilings {

struct LatencySplit {
    double near_median = 0;  // cycles, the faster group
    double far_median = 0;   // cycles, the slower group (equal to near when there is one group)
    double far_fraction = 0;
    double threshold = 0;  // loads above it are "far"
};

// The two groups that leave the least squared deviation from their means (Otsu's split), over the
// latencies below the 99th percentile (a few loads meet refreshes or TLB misses). Throws
// std::invalid_argument for fewer than 2 values.
LatencySplit split_latencies(std::vector<double> cycles);

// "260-279:812 280-299:1200 ..." over the values below the 99th percentile, `bin` cycles wide,
// empty bins left out.
std::string latency_histogram(std::vector<double> cycles, double bin);

}  // namespace flashscope::ceilings
