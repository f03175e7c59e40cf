# The probes of scripts/probes/ whose kernels are timed behind profiler/src/stream_hold.cu's hold
# (scripts/probes/held_timer.cuh), as `flashscope validate` times kernels. Sourced by their
# scripts: held_probe_build NAME OUT_DIR builds scripts/probes/NAME.cu into OUT_DIR/NAME (for the
# card's own architecture, or $HELD_PROBE_ARCH such as sm_90a for wgmma; bench/ceilings' device
# helpers on the include path);
# held_probe_run NAME OUT_DIR runs it and tees its output into OUT_DIR/NAME.txt (dashes for
# underscores).
held_probe_build() {
  local name=$1 out=$2 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  mkdir -p "$out"
  nvcc -O3 -std=c++17 -arch="${HELD_PROBE_ARCH:-native}" -I"$root/profiler/include" \
    -I"$root/profiler/src" -I"$root/bench/ceilings/include" -I"$root/bench/ceilings/src" \
    "$root/scripts/probes/$name.cu" "$root/profiler/src/stream_hold.cu" \
    "$root/profiler/src/cuda_check.cpp" "$root/profiler/src/profiler_error.cpp" \
    -lcupti -o "$out/$name"
}

held_probe_run() {
  local name=$1 out=$2
  "$out/$name" | tee "$out/${name//_/-}.txt"
}

# Both: held_probe NAME OUT_DIR.
held_probe() {
  held_probe_build "$1" "$2"
  held_probe_run "$1" "$2"
}
