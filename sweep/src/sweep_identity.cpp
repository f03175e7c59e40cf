#include "flashscope/sweep/sweep_identity.hpp"

#include "flashscope/sim/model_version.hpp"
#include "flashscope/sweep/digest.hpp"

namespace flashscope::sweep {

std::string sweep_identity(const SweepSpec& spec, const std::vector<SweepPoint>& points) {
    Digest digest;
    digest.add(k_sweep_schema).add("\nmodel ").add(std::to_string(sim::k_model_version)).add("\n");
    for (std::size_t i = 0; i < spec.gpus.size(); ++i) {
        const std::string& yaml = i < spec.gpu_yaml.size() ? spec.gpu_yaml[i] : std::string();
        // Lengths first, so that no two different lists of texts give the same stream.
        digest.add("gpu ").add(std::to_string(spec.gpus[i].size())).add(" ").add(spec.gpus[i]);
        digest.add(" ").add(std::to_string(yaml.size())).add("\n").add(yaml);
    }
    digest.add("points ").add(std::to_string(points.size())).add("\n");
    for (const SweepPoint& p : points) digest.add(p.id);  // 16 digits each
    return digest.hex();
}

}  // namespace flashscope::sweep
