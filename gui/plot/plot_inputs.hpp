#pragma once
// The data of each view, built from files instead of the GUI's own simulations: a sweep's rows
// become a tile sweep (heatmap), a scaling sweep, roofline points or the naive/tiled pair of the
// memory-hierarchy view; simulate's timeline CSV becomes the timeline. Each refuses rows that would
// mix configurations into one picture, naming the columns and the --where that picks one.
#include <string>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "scaling_sweep.hpp"
#include "sweep_table.hpp"
#include "tile_sweep.hpp"

namespace flashscope::gui {

Metrics row_metrics(const SweepRow& row);  // the result columns of an ok row

// One cell per (block_m, block_n); where several rows share a cell (warps, stages) it shows the
// fastest feasible one. `note` says how many rows were folded so.
TileSweep tile_sweep_from_rows(const std::vector<SweepRow>& rows, std::string* note = nullptr);

// Sequence length (seq_q = seq_k) against algorithm; the naive limit is the first N whose naive
// row does not fit the GPU's memory (fits_hbm false).
ScalingSweep scaling_from_rows(const std::vector<SweepRow>& rows);

struct RooflineInput {
    sim::GpuSpec gpu;
    std::vector<sim::Result> results;  // one per ok row, its totals as one kernel named by its row
};
RooflineInput roofline_from_rows(const std::vector<SweepRow>& rows);

struct MemoryHierarchyInput {
    sim::GpuSpec gpu;
    sim::Result naive;
    sim::Result tiled;
};
MemoryHierarchyInput memory_hierarchy_from_rows(const std::vector<SweepRow>& rows);

// `flashscope simulate --timeline FILE.csv`: one algorithm's samples (filters pick it when the file
// holds several).
std::vector<sim::TimelineSample> timeline_from_csv(const std::string& path,
                                                   const std::vector<RowFilter>& filters,
                                                   std::string* algorithm = nullptr);

}  // namespace flashscope::gui
