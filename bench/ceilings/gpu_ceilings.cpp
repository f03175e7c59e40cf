// Runs the microbenchmarks of `flashscope calibrate` and prints the GPU preset they give, with
// each value's source, to stdout (progress on stderr). `flashscope calibrate -o FILE` writes the
// same preset with the dirty-line limit taken from a committed preset.
#include <cstdio>
#include <exception>
#include <iostream>

#include "flashscope/ceilings/calibration.hpp"

int main() {
    using namespace flashscope::ceilings;
    try {
        CalibrationOptions options;
        options.command = "gpu_ceilings";
        options.l2_dirty_limit_mib = {0,
                                      "[B] not measured by gpu_ceilings: see flashscope "
                                      "calibrate --dirty-limit-from"};
        const PresetText preset = run_calibration(options, [](const std::string& line) {
            std::cerr << "gpu_ceilings: " << line << "\n";
        });
        std::cout << preset_yaml(preset);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gpu_ceilings: %s\n", e.what());
        return 1;
    }
    return 0;
}
