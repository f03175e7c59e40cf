#include "flashscope/sim/kernel_tiles.hpp"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace flashscope::sim {
namespace detail {
extern const std::string_view k_kernel_tile_table;  // kernel_tile_table.cpp (generated)
}  // namespace detail

namespace {

struct BuiltRow {
    std::string kernel;
    std::int64_t head_dim = 0;
    std::vector<DType> dtypes;
    std::vector<TileConfig> tiles;
};

// The rows of the `full` set: "full <kernel> <head_dim> <dtype,dtype> <tile> <tile> ...".
std::vector<BuiltRow> parse_table() {
    std::vector<BuiltRow> rows;
    std::istringstream lines{std::string(detail::k_kernel_tile_table)};
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string set, dtypes, tile;
        BuiltRow row;
        if (!(fields >> set >> row.kernel >> row.head_dim >> dtypes) || set != "full") continue;
        std::istringstream dtype_list(dtypes);
        for (std::string d; std::getline(dtype_list, d, ',');) row.dtypes.push_back(parse_dtype(d));
        while (fields >> tile) row.tiles.push_back(parse_tile(tile));
        rows.push_back(std::move(row));
    }
    return rows;
}

const std::vector<BuiltRow>& table() {
    static const std::vector<BuiltRow> rows = parse_table();
    return rows;
}

}  // namespace

bool kernel_has_tiles(std::string_view kernel) {
    for (const BuiltRow& row : table())
        if (row.kernel == kernel) return true;
    return false;
}

bool kernel_tile_built(std::string_view kernel, std::int64_t head_dim, DType dtype,
                       const TileConfig& tile) {
    for (const BuiltRow& row : table()) {
        if (row.kernel != kernel || row.head_dim != head_dim) continue;
        bool dtype_built = false;
        for (DType d : row.dtypes) dtype_built = dtype_built || d == dtype;
        if (!dtype_built) continue;
        for (const TileConfig& t : row.tiles)
            if (t == tile) return true;
    }
    return false;
}

std::string_view to_string(Buildable b) {
    switch (b) {
        case Buildable::yes:
            return "yes";
        case Buildable::no:
            return "no";
        case Buildable::untiled:
            return "-";
    }
    return "-";
}

Buildable buildable(const Result& result) {
    bool any = false;
    for (const KernelResult& k : result.kernels) {
        if (!kernel_has_tiles(k.name)) continue;
        any = true;
        if (!kernel_tile_built(k.name, result.problem.head_dim, result.problem.dtype, result.tile))
            return Buildable::no;
    }
    return any ? Buildable::yes : Buildable::untiled;
}

}  // namespace flashscope::sim
