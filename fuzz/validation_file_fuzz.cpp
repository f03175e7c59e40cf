// Validation files (flashscope validate --out, read by the GUI): from_json and from_csv either
// return a run or throw ConfigError naming what is malformed. The first byte picks the reader.
#include "flashscope/core/error.hpp"
#include "flashscope/validate/validation_file.hpp"
#include "fuzz_support.hpp"

using namespace flashscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string text = fuzz::text_of(data + 1, size - 1);
    try {
        const validate::ValidationRun run =
            data[0] % 2 == 0 ? validate::from_json(text) : validate::from_csv(text);
        // What was read writes out again.
        if (validate::to_json(run).empty()) __builtin_trap();
    } catch (const ConfigError&) {
    }
    return 0;
}
