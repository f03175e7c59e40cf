#pragma once
// The kernels PyTorch's eager autograd launches for `softmax(q @ k.transpose(-2, -1) * scale) @ v`
// besides its batched GEMMs: the out-of-place scale and its backward, the softmax forward and
// backward as aten/src/ATen/native/cuda/SoftMax.cu runs them, and the copy AccumulateGrad makes of
// dK^T. docs/MODEL.md ("naive, eager") lists the trace they come from.
#include <memory>
#include <string>
#include <vector>

#include "plan_base.hpp"

namespace flashscope::sim::detail {

// out = f(inputs...) elementwise over N x N tensors, out of place: one read of each input tile
// and one write of the output tile per element (aten's vectorized elementwise kernel).
std::unique_ptr<KernelPlan> make_eager_elementwise(const PlanContext& c, std::string name,
                                                   std::vector<Tensor> inputs, Tensor out);

// How SoftMax.cu walks a row of softmax_elements = seq_k values.
enum class EagerSoftmaxPath {
    persistent,  // seq_k <= 1024 and seq_k * elem <= 4096: one warp holds the row in registers
    smem,        // forward only: the row is cached in the CTA's 48 KiB of shared memory
    global,      // the row is re-read from global memory by each pass
};
EagerSoftmaxPath eager_softmax_forward_path(const PlanContext& c);
EagerSoftmaxPath eager_softmax_backward_path(const PlanContext& c);

// P = softmax(S_scaled) (cunn_SoftMaxForward[Smem] or the persistent softmax_warp_forward).
std::unique_ptr<KernelPlan> make_eager_softmax(const PlanContext& c, std::string name);
// dS_scaled = tmp - P * rowsum(tmp), tmp = dP * P computed by the kernel before it
// (softmax_backward_cuda_out: `Tensor tmp = grad * output;`).
std::unique_ptr<KernelPlan> make_eager_softmax_backward(const PlanContext& c, std::string name);
// dK = (dK^T)^T: the strided copy autograd's AccumulateGrad makes because the batched GEMM
// wrote the gradient of k.transpose(-2, -1) contiguous, not in K's layout.
std::unique_ptr<KernelPlan> make_eager_transpose_copy(const PlanContext& c, std::string name);

// Peak device bytes of the eager graph for `pass`: the largest sum of the tensors alive while
// any one kernel runs (inputs, what autograd saved, the gradients already produced).
Count eager_footprint_bytes(const PlanContext& c, Pass pass);

}  // namespace flashscope::sim::detail
