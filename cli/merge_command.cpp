// flashscope merge: joins the shard files of one sweep, checking that no point is missing or
// doubled.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/sweep/merge.hpp"

namespace flashscope::cli {
namespace {

struct MergeCliOptions {
    std::vector<std::string> inputs;
    std::string out;
    bool quiet = false;
    CLI::Option* out_flag = nullptr;
};

void run_merge_command(const MergeCliOptions& o) {
    if (o.out_flag->count() > 0) check_output_path("out", o.out);
    const sweep::MergeResult merged = sweep::merge_shard_files(o.inputs);
    if (o.out.empty())
        std::cout << merged.content;
    else
        write_file_atomically(o.out, merged.content);
    if (!o.quiet)
        std::cerr << "merge: " << merged.rows << " rows from " << o.inputs.size() << " file(s)"
                  << (o.out.empty() ? "" : " into " + o.out) << "\n";
}

}  // namespace

void add_merge_command(CLI::App& app) {
    auto opts = std::make_shared<MergeCliOptions>();
    CLI::App* cmd = app.add_subcommand(
        "merge",
        "Join the shard files of a sweep into one; fails naming any point missing or doubled");
    cmd->add_option("files", opts->inputs, "shard files (all CSV or all JSON lines)")->required();
    opts->out_flag =
        cmd->add_option("-o,--out", opts->out, "merged file, written atomically (default: stdout)");
    cmd->add_flag("-q,--quiet", opts->quiet, "no summary on stderr");
    cmd->callback([opts] { run_merge_command(*opts); });
}

}  // namespace flashscope::cli
