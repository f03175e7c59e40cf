// GPU YAML (configs/gpus/*.yaml, --gpu FILE): parse_gpu_yaml either returns a GPU that
// validate() accepts or throws ConfigError. An accepted GPU then simulates a small problem with
// the analytic model, so values the parser lets through cannot overflow the simulator.
#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulate.hpp"
#include "fuzz_support.hpp"

using namespace flashscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    sim::GpuSpec gpu;
    try {
        gpu = sim::parse_gpu_yaml(fuzz::text_of(data, size), "fuzz.yaml");
    } catch (const ConfigError&) {
        return 0;
    }
    sim::SimulationRequest req;
    req.gpu = gpu;
    req.model = sim::Model::analytic;
    req.problem.batch = 1;
    req.problem.heads = req.problem.kv_heads = 2;
    req.problem.seq_q = req.problem.seq_k = 256;
    req.problem.head_dim = 64;
    req.problem.pass = Pass::fwdbwd;
    for (Algorithm algo : all_algorithms()) {
        req.algorithm = algo;
        try {
            const sim::Result r = sim::simulate(req);
            if (r.totals.hbm_read_bytes <= 0 || !(r.totals.time_s > 0)) __builtin_trap();
        } catch (const ConfigError&) {  // a tile that does not fit this GPU, named
        }
    }
    return 0;
}
