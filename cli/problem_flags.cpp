#include "problem_flags.hpp"

namespace flashscope::cli {

AttentionProblem ProblemFlags::resolved() const {
    AttentionProblem p = problem;
    if (seq != k_unset) p.seq_q = p.seq_k = seq;
    if (seq_q != k_unset) p.seq_q = seq_q;
    if (seq_k != k_unset) p.seq_k = seq_k;
    p.kv_heads = kv_heads != k_unset ? kv_heads : p.heads;
    p.dtype = parse_dtype(dtype);
    p.pass = parse_pass(pass);
    return p;
}

std::vector<CLI::Option*> add_problem_flags(CLI::App& cmd, ProblemFlags& f) {
    return {
        cmd.add_option("--batch", f.problem.batch, "batch size")->capture_default_str(),
        cmd.add_option("--heads", f.problem.heads, "query heads")->capture_default_str(),
        cmd.add_option("--kv-heads", f.kv_heads, "key/value heads (GQA/MQA; default: heads)"),
        cmd.add_option("--seq", f.seq, "sequence length of queries and keys (default 4096)"),
        cmd.add_option("--seq-q", f.seq_q, "query sequence length"),
        cmd.add_option("--seq-k", f.seq_k, "key sequence length"),
        cmd.add_option("--head-dim", f.problem.head_dim, "head dimension")->capture_default_str(),
        cmd.add_option("--dtype", f.dtype, "fp32, fp16 or bf16")->capture_default_str(),
        cmd.add_flag("--causal", f.problem.causal, "causal mask, bottom-right aligned"),
        cmd.add_option("--softmax-scale", f.problem.softmax_scale,
                       "softmax scale (default 1/sqrt(d))"),
        cmd.add_option("--dropout", f.problem.dropout,
                       "dropout probability (naive eager mode only)"),
        cmd.add_option("--pass", f.pass, "fwd, bwd or fwdbwd")->capture_default_str(),
        cmd.add_option("--block-m", f.tile.block_m,
                       "query rows per tile (default: from the kernel name, else the rule)"),
        cmd.add_option("--block-n", f.tile.block_n,
                       "key rows per tile (default: from the kernel name, else the rule)"),
        cmd.add_option("--warps", f.tile.warps, "warps per CTA"),
        cmd.add_option("--stages", f.tile.stages, "K/V pipeline stages"),
        cmd.add_flag(
            "--naive-eager", f.naive_eager,
            "count naive's separate scale/mask/dropout kernels, as an eager framework runs them"),
    };
}

}  // namespace flashscope::cli
