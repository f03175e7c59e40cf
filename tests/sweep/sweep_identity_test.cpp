#include "flashscope/sweep/sweep_identity.hpp"

#include <gtest/gtest.h>

#include "flashscope/sweep/product.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep {
namespace {

std::string identity_of(const std::string& yaml, const std::string& origin = "i.yaml") {
    const SweepSpec spec = parse_sweep_spec(yaml, origin);
    return sweep_identity(spec, expand(spec));
}

TEST(SweepIdentity, SameSweepWrittenDifferentlyKeepsIt) {
    const std::string plain = identity_of("algo: flash2\nseq: [1024, 2048]\nhead_dim: 64\n");
    EXPECT_EQ(
        identity_of(
            "name: other\ndescription: words\nhead_dim: 0064\nseq: [01024, 2048]\nalgo: flash2\n"
            "batch: 4\nmodel: cycle\n"),
        plain);
}

TEST(SweepIdentity, AnotherValueOrderOrModelChangesIt) {
    const std::string plain = identity_of("algo: flash2\nseq: [1024, 2048]\n");
    EXPECT_NE(identity_of("algo: flash2\nseq: [2048, 1024]\n"),
              plain);  // same points, other indices
    EXPECT_NE(identity_of("algo: flash2\nseq: [1024, 2048, 4096]\n"), plain);
    EXPECT_NE(identity_of("algo: flash2\nseq: [1024, 2048]\nmodel: analytic\n"), plain);
}

TEST(SweepIdentity, EditingAGpuFileChangesIt) {
    const test::TempDir dir;
    std::string gpu = std::string(sim::gpu_preset_yaml("a100-sxm4-40gb"));
    dir.write("g.yaml", gpu);
    dir.write("s.yaml", "algo: flash2\ngpu: g.yaml\n");
    const SweepSpec before = load_sweep_spec(dir.path("s.yaml"));
    gpu.replace(gpu.find("hbm_bandwidth_gbps: 1555"), 24, "hbm_bandwidth_gbps: 1600");
    dir.write("g.yaml", gpu);
    const SweepSpec after = load_sweep_spec(dir.path("s.yaml"));
    const auto points = expand(before);
    ASSERT_EQ(expand(after)[0].id, points[0].id);  // the points are the same; the GPU is not
    EXPECT_NE(sweep_identity(after, expand(after)), sweep_identity(before, points));
}

}  // namespace
}  // namespace flashscope::sweep
