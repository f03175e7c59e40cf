// Instantiations of flash2_fwd for head_dim 128, __nv_bfloat16. Written from the tile grid in
// docs/KERNELS.md; each line is (block_m, block_n, warps, stages); the first is the default.
#include "../flash2_fwd_kernel.cuh"

namespace flashscope::kernels::detail {

void register_flash2_fwd_hd128_bf16(KernelRegistry& registry) {
#if FLASHSCOPE_KERNEL_SET_FULL
    add_flash2_fwd<__nv_bfloat16, 128, 128, 64, 4, 2>(registry, true);
    add_flash2_fwd<__nv_bfloat16, 128, 128, 128, 8, 2>(registry);
    add_flash2_fwd<__nv_bfloat16, 128, 64, 32, 4, 2>(registry);
    add_flash2_fwd<__nv_bfloat16, 128, 64, 64, 4, 2>(registry);
    add_flash2_fwd<__nv_bfloat16, 128, 64, 128, 4, 2>(registry);
    add_flash2_fwd<__nv_bfloat16, 128, 128, 32, 4, 2>(registry);
    add_flash2_fwd<__nv_bfloat16, 128, 128, 64, 8, 2>(registry);
#else
    add_flash2_fwd<__nv_bfloat16, 128, 128, 64, 4, 2>(registry, true);
#endif
}

}  // namespace flashscope::kernels::detail
