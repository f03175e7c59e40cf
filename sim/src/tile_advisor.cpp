#include "flashscope/sim/tile_advisor.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>
#include <optional>
#include <thread>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/tile_rules.hpp"

namespace flashscope::sim {
namespace {

// Tile sides tried: every multiple of 32, and the multiples of 16 below 128, where a step of 16
// still changes the occupancy or the partial last block noticeably.
constexpr std::int64_t k_sides[] = {16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256};

std::vector<std::int64_t> values(std::int64_t fixed, std::vector<std::int64_t> all) {
    if (fixed > 0) return {fixed};
    return all;
}

// Cycle-model runs at most per ranking (see rank_tiles).
constexpr std::size_t k_cycle_runs = 192;

// Simulates every tile, `threads` at once (0: one per hardware thread); each is independent.
std::vector<Result> simulate_all(const SimulationRequest& request,
                                 const std::vector<TileConfig>& tiles, unsigned threads) {
    std::vector<std::optional<Result>> results(tiles.size());
    std::vector<std::exception_ptr> errors(tiles.size());
    {
        const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
        boost::asio::thread_pool pool(threads > 0 ? threads : hardware);
        for (std::size_t i = 0; i < tiles.size(); ++i)
            boost::asio::post(pool, [&, i] {
                SimulationRequest one = request;
                one.tile = tiles[i];
                one.timeline = false;
                one.progress = nullptr;
                try {
                    results[i] = simulate(one);
                } catch (...) {
                    errors[i] = std::current_exception();
                }
            });
        pool.join();
    }
    for (const std::exception_ptr& e : errors)
        if (e) std::rethrow_exception(e);  // feasibility was checked: a real failure
    std::vector<Result> out;
    out.reserve(results.size());
    for (std::optional<Result>& r : results) out.push_back(std::move(*r));
    return out;
}

}  // namespace

std::vector<TileConfig> candidate_tiles(const TileConfig& fixed, std::int64_t deepest_stages,
                                        const std::vector<std::int64_t>& warps) {
    std::vector<std::int64_t> stages;
    for (std::int64_t s = 1; s <= std::min(deepest_stages, k_max_stages); ++s) stages.push_back(s);
    const std::vector<std::int64_t> sides(std::begin(k_sides), std::end(k_sides));
    std::vector<TileConfig> tiles;
    for (std::int64_t bm : values(fixed.block_m, sides))
        for (std::int64_t bn : values(fixed.block_n, sides))
            for (std::int64_t w : values(fixed.warps, warps))
                for (std::int64_t s : values(fixed.stages, stages))
                    tiles.push_back(TileConfig{bm, bn, w, s});
    return tiles;
}

TileRanking rank_tiles(const SimulationRequest& request, unsigned threads) {
    request.gpu.validate();
    request.problem.validate();
    request.tile.validate();
    const Schedule& schedule = schedule_for(request.algorithm);
    schedule.check_problem(request.problem);
    schedule.check_gpu(request.gpu);
    const std::vector<TileConfig> all =
        candidate_tiles(request.tile, schedule.deepest_stages(), schedule.candidate_warps());

    TileRanking ranking;
    ranking.candidates = std::int64_t(all.size());
    std::vector<TileConfig> runnable;
    std::string first_refusal;
    for (const TileConfig& tile : all) {
        const std::string why_not =
            tile_infeasibility(request.gpu, request.problem, schedule, tile);
        if (why_not.empty())
            runnable.push_back(tile);
        else if (first_refusal.empty())
            first_refusal = to_string(tile) + ": " + why_not;
    }
    if (runnable.empty())
        throw ConfigError("tile", to_string(request.tile),
                          "no candidate tile runs (" + first_refusal + ")");

    // The cycle model costs from milliseconds to seconds per tile (tiny tiles of a long problem
    // are the slow ones); past k_cycle_runs tiles, the analytic model picks which to run.
    if (request.model == Model::cycle && runnable.size() > k_cycle_runs) {
        SimulationRequest quick = request;
        quick.model = Model::analytic;
        const std::vector<Result> first = simulate_all(quick, runnable, threads);
        std::vector<std::size_t> order(runnable.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return first[a].totals.time_s < first[b].totals.time_s;
        });
        order.resize(k_cycle_runs);
        std::sort(order.begin(), order.end());  // candidate order again: ties stay stable
        std::vector<TileConfig> finalists;
        for (std::size_t i : order) finalists.push_back(runnable[i]);
        ranking.pruned = std::int64_t(runnable.size() - finalists.size());
        runnable = std::move(finalists);
    }
    std::vector<Result> results = simulate_all(request, runnable, threads);

    ranking.refused = ranking.candidates - std::int64_t(runnable.size()) - ranking.pruned;
    for (Result& r : results) {
        TileAdvice advice;
        advice.why = explain_tile(r, request.gpu);
        advice.built = buildable(r);
        advice.result = std::move(r);
        ranking.tiles.push_back(std::move(advice));
    }
    std::stable_sort(ranking.tiles.begin(), ranking.tiles.end(),
                     [](const TileAdvice& a, const TileAdvice& b) {
                         return a.result.totals.time_s < b.result.totals.time_s;
                     });
    if (ranking.tiles.size() >= 2)
        ranking.verdict =
            compare_tiles(ranking.tiles[0].result, ranking.tiles[1].result, request.gpu);
    return ranking;
}

TileConfig best_tile(const SimulationRequest& request, unsigned threads) {
    return rank_tiles(request, threads).tiles.front().result.tile;
}

}  // namespace flashscope::sim
