// Sweep files (flashscope sweep SPEC): parse_sweep_spec either returns a spec or throws
// SpecError naming the file, the line and the key; an accepted spec counts its points.
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/spec_error.hpp"
#include "flashscope/sweep/sweep_spec.hpp"
#include "fuzz_support.hpp"

using namespace flashscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const sweep::SweepSpec spec =
            sweep::parse_sweep_spec(fuzz::text_of(data, size), "fuzz.yaml");
        if (spec.gpu_specs.size() != spec.gpus.size()) __builtin_trap();
        if (sweep::point_count(spec) < 1) __builtin_trap();
    } catch (const sweep::SpecError&) {
    }
    return 0;
}
