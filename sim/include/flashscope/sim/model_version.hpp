#pragma once
// The simulator's model version. Bump it in every change that alters a simulated number (a formula,
// a cost, a default the simulator picks): sweep files fold it into their identity, so that
// `flashscope sweep --resume` and `flashscope merge` refuse to mix rows of two model versions.
// GPU presets need no bump: a sweep's identity covers the text of each GPU it uses.
namespace flashscope::sim {

inline constexpr int k_model_version = 1;

}  // namespace flashscope::sim
