#include "flashscope/sim/simulation_config.hpp"

#include <exception>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/tile_advisor.hpp"

namespace flashscope::sim {

SimulationRequest make_request(const SimulationConfig& config, const GpuSpec& gpu) {
    SimulationRequest request;
    request.gpu = gpu;
    request.problem = config.problem;
    request.algorithm = config.algorithm;
    request.tile = config.tile;
    request.model = config.model;
    request.options.naive_eager = config.naive_eager;
    if (config.tile_best) request.tile = best_tile(request);
    return request;
}

GpuSpec resolve_config_gpu(const std::string& gpu) {
    try {
        return resolve_gpu(gpu);
    } catch (const ConfigError& e) {
        if (e.field() == "gpu") throw;
        throw ConfigError("gpu", gpu, e.what());
    } catch (const std::exception& e) {
        throw ConfigError("gpu", gpu, e.what());
    }
}

void check_config(const SimulationConfig& config) {
    resolve_config_gpu(config.gpu);
    config.problem.validate();
    config.tile.validate();
}

}  // namespace flashscope::sim
