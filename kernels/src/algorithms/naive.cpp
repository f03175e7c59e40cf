// naive attention's launches: cuBLAS GEMMs around row-softmax kernels (naive_launches.hpp). Not
// tiled; the kernels are the framework's, so the plan ignores the tile.
#include "launch_plan.hpp"
#include "naive_launches.hpp"

namespace flashscope::kernels::detail {
namespace {

class NaiveLaunchPlan final : public LaunchPlan {
public:
    NaiveLaunchPlan(Algorithm algorithm, const AttentionArgs& tensors)
        : m_algorithm(algorithm), m_gqa(tensors.group() > 1), m_naive(tensors) {}

    bool takes_tile() const override { return false; }
    std::int64_t device_bytes() const override { return m_naive.device_bytes(); }

    std::vector<PlannedLaunch> plan(Pass pass, const LaunchRequest&) override {
        if (pass == Pass::fwd)
            return {gemm("qk", NaiveGemm::qk),
                    {name("softmax"), [this] { return m_naive.softmax(); }},
                    gemm("pv", NaiveGemm::pv)};
        std::vector<PlannedLaunch> out = {
            gemm("dv", NaiveGemm::dv),
            gemm("dp", NaiveGemm::dp),
            {name("softmax_bwd"), [this] { return m_naive.softmax_bwd(); }},
            gemm("dq", NaiveGemm::dq),
            gemm("dk", NaiveGemm::dk)};
        if (m_gqa) out.push_back({name("dkv_reduce"), [this] { return m_naive.dkv_reduce(); }});
        return out;
    }

private:
    std::string name(std::string_view role) const { return kernel_name(m_algorithm, role); }
    PlannedLaunch gemm(std::string_view role, NaiveGemm which) {
        return {name(role), [this, which] { return m_naive.gemm(which); }};
    }

    Algorithm m_algorithm;
    bool m_gqa;
    NaiveAttention m_naive;
};

}  // namespace

std::unique_ptr<LaunchPlan> make_naive_launch_plan(Algorithm algorithm,
                                                   const AttentionArgs& tensors) {
    return std::make_unique<NaiveLaunchPlan>(algorithm, tensors);
}

}  // namespace flashscope::kernels::detail
