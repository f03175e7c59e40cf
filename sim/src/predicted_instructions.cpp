#include "flashscope/sim/predicted_instructions.hpp"

namespace flashscope::sim {
namespace {

void add(std::optional<double>& field, double value) {
    field = field.value_or(0.0) + value;
}

}  // namespace

void add_predicted_instructions(Metrics& m, const InstructionMix& mix, double warps) {
    if (mix.empty()) return;
    auto n = [&](Instr i) { return mix.count(i) * warps; };
    add(m.inst_tensor, n(Instr::mma) + n(Instr::wgmma));  // HMMA and HGMMA: the tensor pipe
    add(m.inst_fp32, n(Instr::fp32));
    add(m.inst_xu, n(Instr::mufu));
    add(m.inst_alu, n(Instr::alu) + n(Instr::cvt));  // F2FP issues on the ALU pipe
    add(m.inst_ldsm, n(Instr::ldsm));
    add(m.inst_shuffle, n(Instr::shfl));
    add(m.inst_lsu, n(Instr::ldsm) + n(Instr::shared) + n(Instr::lds) + n(Instr::cp_async) +
                        n(Instr::shfl) + n(Instr::global) + n(Instr::local) +
                        n(Instr::global_load));
    double total = 0;
    for (int i = 0; i < k_instr_count; ++i) total += n(static_cast<Instr>(i));
    add(m.inst_total, total);
}

}  // namespace flashscope::sim
