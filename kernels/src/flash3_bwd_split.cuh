#pragma once
// flash3 backward at head_dim 256: the consumers' loop. Included by flash3_bwd_kernel.cuh, whose
// producer, key bounds (ConsumerKeys) and barriers it shares. dK and dV of 64 keys x 256 would take
// 256 fp32 registers per thread (the limit is 255, 240 after setmaxnreg), so the two consumer
// warpgroups share the CTA's 64 keys and split the rest (block_m = block_n = 64), as
// FlashAttention-3 does at this head_dim (there by transposing the dK/dV GEMMs, "dKV swapAB";
// here by splitting their N):
//   consumer c: dK, dV (64 keys, head_dim columns 128c .. 128c + 127) in fp32 registers, 128 per
//   thread for the whole kernel. Per Q block:
//     S^T_c = K Q_c^T, dP^T_c = V dO_c^T    (wgmma SS m64n32 over head_dim: its 32 queries 32c ..)
//     P^T_c = exp2(S^T_c scale log2e - LSE log2e), dS^T_c = P^T_c o (dP^T_c - D)   (registers)
//     P^T_c, dS^T_c -> shared memory P^T[b], dS^T[b] (b = block % 2); both consumers meet (named
//     barrier 1): the whole P^T and dS^T (64 keys, 64 queries) are there
//     dQ_c = dS K_c                         (wgmma SS m64n128: dQ's columns 128c ..; A = dS read
//                                            M-major from dS^T, B = K's panels 2c, 2c + 1)
//     dV_c += P^T dO_c, dK_c += dS^T Q_c    (wgmma SS m64n128: dO's and Q's panels 2c, 2c + 1)
//     dQ_c into the fp32 accumulator by vector atomics from registers while dV and dK run (the
//     192 KB of K, V and two Q/dO stages leave no room to stage it for the copy engine), in K/V
//     block order when deterministic.
// A consumer rewrites buffer b (block i + 2) only after the meeting of block i + 1, which the
// other one reaches after waiting for all of its products of block i, the buffer's last reads.

namespace flashscope::kernels::detail::flash3_bwd {

// Adds one consumer's (64, 128) dQ tile (wgmma accumulator layout) to the fp32 accumulator's
// columns col0 .. col0 + 127, rows past seq_q skipped.
template <int kHeadDim>
__device__ __forceinline__ void add_dq_half(const float (&dq)[64], float* dq_accum, int row0,
                                            int col0, int seq_q, int lane, int warp) {
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const int row = row0 + warp * 16 + lane / 4 + 8 * h;
        if (row >= seq_q) continue;
        float* dst = dq_accum + std::int64_t{row} * kHeadDim + col0 + 2 * (lane % 4);
#pragma unroll
        for (int c = 0; c < 16; ++c)
            atomicAdd(reinterpret_cast<float2*>(dst + 8 * c),
                      make_float2(dq[4 * c + 2 * h], dq[4 * c + 2 * h + 1]));
    }
}

template <typename T, typename Traits>
__device__ __forceinline__ void consume_split(const AttentionArgs& args,
                                              const Flash3BwdSmem<Traits>& smem, int consumer,
                                              QBlockRange blocks, const ConsumerKeys& keys,
                                              int n_block, int head, int kv_head, int batch,
                                              bool deterministic) {
    constexpr int kD = Traits::k_head_dim;  // 256
    constexpr int kM = Traits::k_block_m;   // 64 queries
    constexpr int kN = Traits::k_block_n;   // 64 keys
    constexpr int kCols = kD / 2;           // a consumer's head_dim columns
    constexpr int kQ = kM / 2;              // a consumer's queries of S^T and dP^T
    constexpr int kStages = Traits::k_stages;
    constexpr int kConsumerThreads = 2 * sm90::k_warpgroup_threads;
    static_assert(kCols == 128 && kQ == 32 && kN == 64, "the head_dim 256 tile is 64 x 64");
    using SMma = sm90::Wgmma<kQ, T>;       // S^T_c, dP^T_c: (64 keys, 32 queries)
    using ColMma = sm90::Wgmma<kCols, T>;  // dK_c, dV_c: (64 keys, 128); dQ_c: (64 queries, 128)
    const int thread = threadIdx.x % sm90::k_warpgroup_threads;
    const int lane = thread % 32;
    const int warp = thread / 32;
    const std::int64_t bh = std::int64_t{batch} * args.heads + head;
    const int col0 = consumer * kCols;  // my head_dim columns
    const int q0 = consumer * kQ;       // my queries within a Q block

    float dk[kCols / 2], dv[kCols / 2];  // (64 keys, 128 columns), for the whole kernel
#pragma unroll
    for (int i = 0; i < kCols / 2; ++i) dk[i] = dv[i] = 0.f;

    float* dq_accum = args.dq_accum + bh * args.seq_q * kD;
    int* semaphores = args.dq_semaphore +
                      bh * ((args.seq_q + Traits::k_semaphore_rows - 1) / Traits::k_semaphore_rows);
    const float scale_log2 = args.scale * device::k_log2e;

    // S^T_c = K Q_c^T or dP^T_c = V dO_c^T: (64 keys, 32 queries) reduced over head_dim (four
    // panels); one commit group.
    float s[kQ / 2], dp[kQ / 2];
    auto issue_product = [&](float(&out)[kQ / 2], std::uint32_t kv_panel0,
                             std::uint32_t query_rows) {
        sm90::discard(out);
        sm90::fence();
#pragma unroll
        for (int k = 0; k < kD / 16; ++k)
            SMma::template ss<0>(out,
                                 sm90::k_major_descriptor(
                                     kv_panel0 + (k / 4) * Traits::k_kv_panel_bytes + (k % 4) * 32),
                                 sm90::k_major_descriptor(
                                     query_rows + (k / 4) * Traits::k_q_panel_bytes + (k % 4) * 32),
                                 k > 0);
        sm90::commit();
    };
    // dQ_c = dS K_c: (64 queries, 128 columns) over the 64 keys; A = dS read M-major from dS^T,
    // B = K's panels 2c, 2c + 1 N-major. One commit group.
    float dq[kCols / 2];
    auto issue_dq = [&](int buffer) {
        sm90::discard(dq);
        sm90::fence();
#pragma unroll
        for (int k = 0; k < kN / 16; ++k)
            ColMma::template ss<1, 1>(
                dq,
                sm90::n_major_descriptor(smem.ds_panel(buffer, 0) + k * 16 * 128,
                                         Traits::k_ds_panel_bytes),
                sm90::n_major_descriptor(smem.k_panel(2 * consumer) + k * 16 * 128,
                                         Traits::k_kv_panel_bytes),
                k > 0);
        sm90::commit();
    };
    // acc += A B: A = P^T or dS^T (64 keys, 64 queries, K-major), B = dO's or Q's panels 2c,
    // 2c + 1 (64 queries, 128 columns, N-major). One commit group.
    auto issue_key_product = [&](float(&acc)[kCols / 2], std::uint32_t a_rows,
                                 std::uint32_t b_panel) {
        sm90::fence();
#pragma unroll
        for (int k = 0; k < kM / 16; ++k)
            ColMma::template ss<1>(
                acc, sm90::k_major_descriptor(a_rows + k * 32),
                sm90::n_major_descriptor(b_panel + k * 16 * 128, Traits::k_q_panel_bytes), 1);
        sm90::commit();
    };
    // dQ += dQ_c. Deterministic: the K/V blocks of this head add to a Q block in order, handed on
    // by its counter (zeroed by the preprocess kernel), as the other head dims do.
    auto add_dq = [&](int m0) {
        if (!deterministic) {
            add_dq_half<kD>(dq, dq_accum, m0, col0, keys.seq_q, lane, warp);
            return;
        }
        int* semaphore = semaphores + m0 / Traits::k_semaphore_rows;
        if (consumer == 0 && thread == 0)
            while (atomicAdd(semaphore, 0) != n_block) {
            }
        sm90::named_barrier_sync(k_dq_turn_barrier, kConsumerThreads);
        add_dq_half<kD>(dq, dq_accum, m0, col0, keys.seq_q, lane, warp);
        __threadfence();
        sm90::named_barrier_sync(k_dq_turn_barrier, kConsumerThreads);
        if (consumer == 0 && thread == 0) atomicAdd(semaphore, 1);
    };

    sm90::mbarrier_wait(smem.kv_full(), 0);
    const int n_iterations = blocks.end - blocks.begin;
    for (int i = 0; i < n_iterations; ++i) {
        const int m0 = (blocks.begin + i) * kM;
        const int stage = i % kStages;
        const int buffer = i % 2;
        sm90::mbarrier_wait(smem.q_full(stage), (i / kStages) & 1);
        issue_product(s, sm90::unhoisted(smem.k_panel(0)), smem.q_panel(stage, 0) + q0 * 128);
        issue_product(dp, sm90::unhoisted(smem.v_panel(0)), smem.do_panel(stage, 0) + q0 * 128);
        sm90::wait<1>();  // S^T_c is ready; dP^T_c may still run
        sm90::fence_operands(s);

        // P^T_c = exp2(S^T scale log2e - LSE log2e), clamped to <= 1 as the other head dims.
        std::uint32_t p[kQ / 8][2];  // pairs of columns 8c + 2 (lane % 4), key rows h = 0, 1
        auto exponentiate = [&](auto masked) {
            ConsumerKeys::Visible visible{};
            if constexpr (decltype(masked)::value) {
                visible = keys.visible(m0, kM, keys.first_key + warp * 16 + lane / 4, lane);
                // Bounds on my column offsets (0 .. 31) rather than the block's.
                visible.lo[0] -= q0;
                visible.lo[1] -= q0;
                visible.hi -= q0;
            }
#pragma unroll
            for (int c = 0; c < kQ / 8; ++c) {
                const int col = q0 + 8 * c + 2 * (lane % 4);
                float lse2[2];
                asm volatile("ld.shared.v2.f32 {%0, %1}, [%2];\n"
                             : "=f"(lse2[0]), "=f"(lse2[1])
                             : "r"(smem.lse(stage) + 4 * col));
                float value[4];
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    const float exponent = fmaf(s[4 * c + e], scale_log2, -lse2[e % 2]);
                    value[e] = device::fast_exp2(exponent > 0.f ? 0.f : exponent);
                    if constexpr (decltype(masked)::value) {
                        const int q = 8 * c + e % 2;  // my column, less 2 * (lane % 4)
                        if (q < visible.lo[e / 2] || q >= visible.hi) value[e] = 0.f;
                    }
                }
                p[c][0] = device::pack2<T>(value[0], value[1]);
                p[c][1] = device::pack2<T>(value[2], value[3]);
            }
        };
        if (keys.needs_mask(m0, kM))
            exponentiate(std::true_type{});
        else
            exponentiate(std::false_type{});
        sm90::discard(s);

        // dS^T_c = P^T_c o (dP^T_c - D), from P^T as rounded to the dtype; P^T_c and dS^T_c into
        // shared memory: key row r, 16-byte chunk (my columns' chunk) ^ (r % 8).
        sm90::wait<0>();
        sm90::fence_operands(dp);
#pragma unroll
        for (int c = 0; c < kQ / 8; ++c) {
            const int col = q0 + 8 * c + 2 * (lane % 4);
            float d2[2];
            asm volatile("ld.shared.v2.f32 {%0, %1}, [%2];\n"
                         : "=f"(d2[0]), "=f"(d2[1])
                         : "r"(smem.dsum(stage) + 4 * col));
#pragma unroll
            for (int h = 0; h < 2; ++h) {
                const std::uint32_t word = p[c][h];
                const T* pair = reinterpret_cast<const T*>(&word);
                const float lo = device::to_float(pair[0]) * (dp[4 * c + 2 * h] - d2[0]);
                const float hi = device::to_float(pair[1]) * (dp[4 * c + 2 * h + 1] - d2[1]);
                const std::uint32_t ds = device::pack2<T>(lo, hi);
                const int r = warp * 16 + lane / 4 + 8 * h;
                const std::uint32_t offset =
                    r * 128 + (((q0 / 8 + c) ^ (r % 8)) * 16) + (lane % 4) * 4;
                asm volatile("st.shared.u32 [%0], %1;\n" ::"r"(smem.pt_panel(buffer) + offset),
                             "r"(word)
                             : "memory");
                asm volatile("st.shared.u32 [%0], %1;\n" ::"r"(smem.ds_panel(buffer, 0) + offset),
                             "r"(ds)
                             : "memory");
            }
        }
        sm90::discard(dp);
        sm90::fence_proxy_async_shared();  // P^T, dS^T are read by wgmma (the async proxy)
        sm90::named_barrier_sync(k_ds_written_barrier, kConsumerThreads);

        // dQ first, so that its atomics run while dV and dK are computed.
        issue_dq(buffer);
        issue_key_product(dv, smem.pt_panel(buffer), smem.do_panel(stage, 2 * consumer));
        issue_key_product(dk, smem.ds_panel(buffer, 0), smem.q_panel(stage, 2 * consumer));
        sm90::wait<2>();  // dQ_c is ready; dV, dK may still run
        sm90::fence_operands(dq);
        add_dq(m0);
        sm90::wait<0>();
        sm90::fence_operands(dk);
        sm90::fence_operands(dv);
        if (lane == 0) sm90::mbarrier_arrive(smem.q_empty(stage));  // Q, dO, LSE, D read
    }

    // Epilogue: my columns of dK = scale * sum dS^T Q and dV, in the dtype with one query head per
    // kv head, else in fp32 per query head for the group reduction kernel.
    const bool own_kv_head = args.group() == 1;
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const int key = keys.first_key + warp * 16 + lane / 4 + 8 * h;
        if (key >= keys.seq_k) continue;
        if (own_kv_head) {
            T* dk_row = tensor_at<T>(args.dk, batch, kv_head) + key * args.dk.row_stride;
            T* dv_row = tensor_at<T>(args.dv, batch, kv_head) + key * args.dv.row_stride;
#pragma unroll
            for (int c = 0; c < kCols / 8; ++c) {
                const int col = col0 + 8 * c + 2 * (lane % 4);
                *reinterpret_cast<std::uint32_t*>(dk_row + col) = device::pack2<T>(
                    dk[4 * c + 2 * h] * args.scale, dk[4 * c + 2 * h + 1] * args.scale);
                *reinterpret_cast<std::uint32_t*>(dv_row + col) =
                    device::pack2<T>(dv[4 * c + 2 * h], dv[4 * c + 2 * h + 1]);
            }
        } else {
            float* dk_row = args.dk_accum + (bh * args.seq_k + key) * kD;
            float* dv_row = args.dv_accum + (bh * args.seq_k + key) * kD;
#pragma unroll
            for (int c = 0; c < kCols / 8; ++c) {
                const int col = col0 + 8 * c + 2 * (lane % 4);
                *reinterpret_cast<float2*>(dk_row + col) =
                    make_float2(dk[4 * c + 2 * h] * args.scale, dk[4 * c + 2 * h + 1] * args.scale);
                *reinterpret_cast<float2*>(dv_row + col) =
                    make_float2(dv[4 * c + 2 * h], dv[4 * c + 2 * h + 1]);
            }
        }
    }
}

}  // namespace flashscope::kernels::detail::flash3_bwd
