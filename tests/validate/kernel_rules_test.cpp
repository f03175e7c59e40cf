// Kernel-name rules: the shipped ones parse, name real simulated kernels and recognise the names
// the frameworks print; role lists go in launch order; user rules win; bad files say where.
#include "flashscope/validate/kernel_rules.hpp"

#include <gtest/gtest.h>

#include <set>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/schedule.hpp"
#include "flashscope/sim/simulate.hpp"

using namespace flashscope;
using namespace flashscope::validate;

namespace {

// Every kernel name the simulator can give an algorithm: both passes, eager mode with mask and
// dropout, and GQA (the dK/dV reductions).
std::set<std::string> simulated_kernel_names(Algorithm algorithm) {
    std::set<std::string> names;
    for (const Pass pass : {Pass::fwd, Pass::bwd}) {
        sim::SimulationRequest req;
        req.gpu = sim::gpu_preset("h100-sxm5");
        req.algorithm = algorithm;
        req.model = sim::Model::analytic;
        req.problem = {1, 8, 2, 512, 512, 64, DType::bf16, true, pass, 0.0, 0.1};
        req.options.naive_eager = true;
        req.tile = {64, 64, 4, 1};
        try {  // a tile every schedule builds, except where its CTA is its own (flash3)
            sim::schedule_for(algorithm).check_tile(req.tile, req.problem);
        } catch (const ConfigError&) {
            req.tile = {};
        }
        for (const auto& k : sim::simulate(req).kernels) names.insert(k.name);
    }
    return names;
}

KernelMatch match_one(const std::string& name, Pass pass = Pass::fwd) {
    static const KernelRules rules = kernel_rules("");
    KernelMatcher matcher(rules, pass);
    return matcher.match(name);
}

}  // namespace

TEST(KernelRules, EveryShippedRoleIsAKernelTheSimulatorNames) {
    const KernelRules rules = parse_kernel_rules(shipped_kernel_rules_yaml(), "shipped");
    ASSERT_GT(rules.size(), 10u);
    for (const auto& rule : rules) {
        if (!rule.ignore_reason.empty()) continue;
        const auto names = simulated_kernel_names(rule.algorithm);
        for (const auto& [pass, roles] : rule.roles)
            for (const auto& role : roles) {
                if (role) {
                    EXPECT_TRUE(names.count(*role)) << rule.name << ": " << *role;
                }
            }
    }
}

TEST(KernelRules, ShippedRulesRecogniseTheFrameworksKernels) {
    const struct {
        const char* kernel;
        const char* rule;
        const char* role;
    } cases[] = {
        {"void pytorch_flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4, false, "
         "false, "
         "cutlass::bfloat16_t, Flash_kernel_traits<128, 128, 64, 4, cutlass::bfloat16_t>>, false, "
         "true>"
         "(pytorch_flash::Flash_fwd_params)",
         "pytorch-flash-fwd", "flash2_fwd"},
        {"void "
         "pytorch_flash::flash_bwd_dq_dk_dv_loop_seqk_parallel_kernel<Flash_bwd_kernel_traits<128, "
         "64, 128, 8, "
         "2, 4, 2, false, false, cutlass::bfloat16_t>, false>(pytorch_flash::Flash_bwd_params)",
         "pytorch-flash-bwd", "flash2_bwd"},
        {"cudnn_generated_fort_native_sdpa_sm90_flash_fprop_wgmma_f16_knob_7_64x128x128_4x1x1_"
         "kernel0_0",
         "cudnn-sdpa-fprop-sm90", "flash3_fwd"},
        {"_attn_fwd", "triton-attn-fwd", "flash2_fwd"},
        {"_attn_bwd_preprocess", "triton-attn-bwd-preprocess", "flash2_bwd_preprocess"},
        {"sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_"
         "segment_k_off_"
         "kernel__5x_cublas",
         "eager-gemm", "naive_qk"},
        {"void (anonymous namespace)::softmax_warp_forward<c10::BFloat16, c10::BFloat16, float, "
         "10, false, false>"
         "(T2 *, const T1 *, int, int, int, const bool *, int, bool)",
         "eager-softmax", "naive_softmax"},
        {"void at::native::(anonymous namespace)::cunn_SoftMaxBackward<8, c10::BFloat16, float, "
         "c10::BFloat16, "
         "at::native::(anonymous namespace)::SoftMaxBackwardEpilogue>(T4 *, const T2 *, const T4 "
         "*, long)",
         "eager-softmax-bwd", "naive_softmax_bwd"},
        {"void flashscope::kernels::detail::flash2_fwd_kernel<__nv_bfloat16, 128, 128, 64, 4, 2>"
         "(flashscope::kernels::AttentionArgs)",
         "flashscope-flash2-fwd", "flash2_fwd"},
    };
    for (const auto& c : cases) {
        const KernelMatch m = match_one(c.kernel);
        ASSERT_NE(m.rule, nullptr) << c.kernel;
        EXPECT_EQ(m.rule->name, c.rule) << c.kernel;
        EXPECT_EQ(m.role.value_or("(none)"), c.role) << c.kernel;
    }
    EXPECT_EQ(
        match_one(
            "void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>()")
            .rule,
        nullptr);
}

TEST(KernelRules, TilesAreReadFromTemplateArguments) {
    const KernelMatch fa2 = match_one(
        "void pytorch_flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4, false, "
        "false, "
        "cutlass::bfloat16_t>>(pytorch_flash::Flash_fwd_params)");
    EXPECT_EQ(fa2.tile, (TileConfig{128, 64, 4, 0}));
    const KernelMatch ours = match_one(
        "void flashscope::kernels::detail::flash2_bwd_kernel<__half, 64, 64, 128, 8, 2>(Args, "
        "bool)");
    EXPECT_EQ(ours.tile, (TileConfig{64, 128, 8, 2}));
}

TEST(KernelRules, RoleListsGoInLaunchOrderAndFwdbwdChainsThePasses) {
    const KernelRules rules = kernel_rules("");
    const std::string gemm = "nvjet_hsh_128x128_64x4_1x2_h_bz_coopA_NNT";
    KernelMatcher fwd(rules, Pass::fwd);
    EXPECT_EQ(*fwd.match(gemm).role, "naive_qk");
    EXPECT_EQ(*fwd.match(gemm).role, "naive_pv");
    EXPECT_EQ(*fwd.match(gemm).role, "naive_qk");  // a second iteration
    KernelMatcher both(rules, Pass::fwdbwd);
    std::vector<std::string> roles;
    for (int i = 0; i < 6; ++i) roles.push_back(*both.match(gemm).role);
    EXPECT_EQ(roles, (std::vector<std::string>{"naive_qk", "naive_pv", "naive_dv", "naive_dp",
                                               "naive_dk", "naive_dq"}));
    // the backward's two multiplications: softmax's dP * P, then the scale's gradient
    KernelMatcher bwd(rules, Pass::bwd);
    const std::string mul = "elementwise_kernel<4, MulFunctor<float>>";
    EXPECT_EQ(*bwd.match(mul).role, "naive_softmax_bwd_mul");
    EXPECT_EQ(*bwd.match(mul).role, "naive_scale_bwd");
}

TEST(KernelRules, AUsersRulesComeFirst) {
    KernelRules rules = parse_kernel_rules(
        "rules:\n  - {name: mine, kernel: 'flash_fwd_kernel', algo: flash1, role: flash1_fwd}\n"
        "  - {name: skip, kernel: 'FillFunctor', ignore: zeroes the dQ accumulator}\n",
        "mine.yaml");
    for (auto& r : parse_kernel_rules(shipped_kernel_rules_yaml(), "shipped"))
        rules.push_back(std::move(r));
    KernelMatcher m(rules, Pass::fwd);
    EXPECT_EQ(m.match("void pytorch_flash::flash_fwd_kernel<...>()").rule->name, "mine");
    const KernelMatch fill =
        m.match("vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>");
    EXPECT_EQ(fill.rule->ignore_reason, "zeroes the dQ accumulator");
}

TEST(KernelRules, AMalformedRuleNamesTheFileTheRuleAndTheKey) {
    const auto message = [](const std::string& yaml) {
        try {
            parse_kernel_rules(yaml, "r.yaml");
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("rules:\n  - {kernel: 'a(', algo: naive, role: naive_qk}\n")
                  .find("r.yaml: rule 1.kernel"),
              std::string::npos);
    EXPECT_NE(message("rules:\n  - {kernel: a, algo: naive, role: naive_qk, colour: red}\n")
                  .find("colour"),
              std::string::npos);
    EXPECT_NE(message("rules:\n  - {kernel: a, algo: flash9, role: naive_qk}\n").find("flash9"),
              std::string::npos);
    EXPECT_NE(message("rules:\n  - {kernel: a, algo: naive}\n").find("'role' or 'roles'"),
              std::string::npos);
    EXPECT_NE(
        message("rules:\n  - {kernel: a, algo: naive, role: naive_qk, tile: {from: 'k<(\\d+)>', "
                "block_m: 2}}\n")
            .find("capture group"),
        std::string::npos);
    EXPECT_NE(message("rules:\n  - {kernel: a, algo: naive, role: naive_qkv}\n")
                  .find("not a kernel of naive"),
              std::string::npos);
    EXPECT_NE(message("nothing: here\n").find("rules"), std::string::npos);
}
