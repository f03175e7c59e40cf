// Sweep output files as --resume and merge read them (CSV and JSON lines). read_existing_rows
// either returns the rows or throws ResumeError; merge_shard_files either merges or throws
// MergeError. The sweep is tests/sweep/data/small.yaml's. The first byte picks the reader:
// bit 2 merge (the rest is split at its first form feed into two shard files), else resume with
// bit 0 the format (CSV, JSON lines) and bit 1 the shard (0/1, 1/2).
#include "flashscope/sweep/merge.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/resume.hpp"
#include "flashscope/sweep/sweep_identity.hpp"
#include "flashscope/sweep/sweep_spec.hpp"
#include "fuzz_support.hpp"

using namespace flashscope;

namespace {

struct Sweep {
    sweep::SweepSpec spec =
        sweep::load_sweep_spec(FLASHSCOPE_SOURCE_DIR "/tests/sweep/data/small.yaml");
    std::vector<sweep::SweepPoint> points = sweep::expand(spec);
    std::string id = sweep::sweep_identity(spec, points);
};

const Sweep& small_sweep() {
    static const Sweep s;
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const fuzz::ScratchFile first("rows_a"), second("rows_b");
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    const std::string text = fuzz::text_of(data + 1, size - 1);
    if (mode & 4) {
        const std::size_t split = text.find('\f');
        first.write(text.substr(0, split));
        second.write(split == std::string::npos ? std::string() : text.substr(split + 1));
        try {
            const sweep::MergeResult merged =
                sweep::merge_shard_files({first.path(), second.path()});
            if (merged.rows < 1) __builtin_trap();
        } catch (const sweep::MergeError&) {
        }
        return 0;
    }
    first.write(text);
    const Sweep& sweep = small_sweep();
    const auto total = static_cast<std::int64_t>(sweep.points.size());
    const sweep::RowContext context{
        total, sweep.id, mode & 1 ? sweep::OutputFormat::jsonl : sweep::OutputFormat::csv};
    const auto shard = mode & 2 ? sweep::Shard{1, 2} : sweep::Shard{0, 1};
    try {
        const sweep::ExistingRows rows =
            sweep::read_existing_rows(first.path(), context, sweep.points, shard);
        if (rows.rows.size() > total || rows.not_ok > rows.rows.size()) __builtin_trap();
    } catch (const sweep::ResumeError&) {
    }
    return 0;
}
