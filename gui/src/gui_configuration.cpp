#include "gui_configuration.hpp"

#include <exception>
#include <sstream>

#include "flashscope/core/error.hpp"

namespace flashscope::gui {

sim::GpuSpec resolve_gpu_source(const std::string& gpu) {
    try {
        return sim::resolve_gpu(gpu);
    } catch (const ConfigError& e) {
        if (e.field() == "gpu") throw;
        throw ConfigError("gpu", gpu, e.what());
    } catch (const std::exception& e) {
        throw ConfigError("gpu", gpu, e.what());
    }
}

sim::SimulationRequest make_request(const GuiConfiguration& config, const sim::GpuSpec& gpu) {
    sim::SimulationRequest request;
    request.gpu = gpu;
    request.problem = config.problem;
    request.algorithm = config.algorithm;
    request.tile = config.tile;
    request.model = config.model;
    request.options.naive_eager = config.naive_eager;
    return request;
}

std::string equivalent_cli(const GuiConfiguration& config) {
    const auto& p = config.problem;
    const auto& t = config.tile;
    std::ostringstream out;
    out << "flashscope simulate --gpu " << config.gpu << " --batch " << p.batch << " --heads " << p.heads
        << " --kv-heads " << p.kv_heads << " --seq-q " << p.seq_q << " --seq-k " << p.seq_k
        << " --head-dim " << p.head_dim << " --dtype " << to_string(p.dtype) << " --pass "
        << to_string(p.pass) << " --algo " << to_string(config.algorithm) << " --model "
        << sim::to_string(config.model);
    if (p.causal) out << " --causal";
    if (p.softmax_scale > 0) out << " --softmax-scale " << p.softmax_scale;
    if (p.dropout > 0) out << " --dropout " << p.dropout;
    if (t.block_m) out << " --block-m " << t.block_m;
    if (t.block_n) out << " --block-n " << t.block_n;
    if (t.warps) out << " --warps " << t.warps;
    if (t.stages) out << " --stages " << t.stages;
    if (config.naive_eager) out << " --naive-eager";
    return out.str();
}

}  // namespace flashscope::gui
