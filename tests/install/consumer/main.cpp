// Uses the installed library as any other program would: naive vs flash2 on a built-in preset.
#include <cstdio>
#include <string_view>

#include "flashscope/core/version.hpp"
#include "flashscope/sim/simulate.hpp"

int main() {
    using namespace flashscope;
    // The library, the CMake package and the project that installed them agree on the version.
    if (version() != EXPECTED_VERSION || version() != PACKAGE_VERSION) {
        std::printf("consumer: library %s, package %s, expected %s\n",
                    std::string(version()).c_str(), PACKAGE_VERSION, EXPECTED_VERSION);
        return 1;
    }
    sim::SimulationRequest request;
    request.gpu = sim::gpu_preset("h100-sxm5");
    request.model = sim::Model::analytic;
    request.algorithm = Algorithm::naive;
    const Metrics naive = sim::simulate(request).totals;
    request.algorithm = Algorithm::flash2;
    const Metrics flash2 = sim::simulate(request).totals;
    const double naive_hbm = double(naive.hbm_read_bytes + naive.hbm_write_bytes);
    const double flash2_hbm = double(flash2.hbm_read_bytes + flash2.hbm_write_bytes);
    if (!(flash2_hbm > 0 && naive_hbm > flash2_hbm)) {
        std::printf("consumer: naive %.0f bytes, flash2 %.0f bytes\n", naive_hbm, flash2_hbm);
        return 1;
    }
    std::printf("consumer: %s, flash2 moves %.0fx less HBM traffic than naive\n",
                version_line().c_str(), naive_hbm / flash2_hbm);
    return 0;
}
