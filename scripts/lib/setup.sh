# Shared set-up of quickstart.sh and test.sh: install what is missing, then configure one build
# tree, build/default, that both use: quickstart builds the CLI in it, test.sh adds the rest
# there, so nothing is compiled twice. Sourced, not run. Debian 12 and Ubuntu 24.04.

flashscope_preset=default  # test.sh --sanitize switches to the `sanitize` preset and its tree
flashscope_build_dir=build/default

# Package sets by what a build needs.
flashscope_packages_core() {  # the simulator and the flashscope CLI
    local boost=libboost-dev
    # Debian 12's default Boost is 1.74, which has no Boost.JSON; 1.81 is packaged beside it. A
    # fresh container has no package lists yet (apt-get update comes later), hence os-release.
    if apt-cache show libboost1.81-dev >/dev/null 2>&1 ||
        grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
        boost=libboost1.81-dev
    fi
    # g++, not build-essential: make, dpkg-dev and its Perl modules are not needed (Ninja builds).
    echo "g++ cmake ninja-build git $boost libyaml-cpp-dev libcli11-dev"
}
flashscope_packages_gui() {  # flashscope-gui
    echo "qt6-base-dev qt6-svg-dev libqcustomplot-dev libgl-dev"
}
flashscope_packages_tests() {  # test suites, benchmarks, the docs check, the Slurm job-array test
    echo "build-essential libgtest-dev libgmock-dev libbenchmark-dev python3 python3-dev python3-venv clang-format slurm-wlm munge"
}

# flashscope_install_missing PACKAGE...: apt-get install those not installed (as root), or print
# the one line that would.
flashscope_install_missing() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "flashscope: missing packages; run as root, or install them with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    echo "flashscope: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # dpkg's unsafe I/O skips an fsync per unpacked file (Boost alone is ~16 000 files): more
    # than half of apt's time on a fresh machine (docs/PERFORMANCE.md). Only a crash during the
    # install can then leave a package half-written; `apt-get install --reinstall` repairs it.
    apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io \
        "${missing[@]}" >/dev/null
}

# flashscope_phase NAME: with FLASHSCOPE_PHASE_TIMES set, marks the start of a phase
# ("flashscope-phase: NAME EPOCH-SECONDS"); scripts/fresh-machine-quickstart.sh times them.
flashscope_phase() {
    if [ -n "${FLASHSCOPE_PHASE_TIMES:-}" ]; then echo "flashscope-phase: $1 $(date +%s.%N)"; fi
}

flashscope_have_nvcc() {
    command -v nvcc >/dev/null 2>&1 || [ -x /usr/local/cuda/bin/nvcc ]
}
flashscope_have_gpu() {
    command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q '^GPU '
}

# flashscope_cached NAME: the value of NAME in the build tree's CMake cache (empty if none).
flashscope_cached() {
    sed -n "s/^$1:[A-Z]*=//p" "$flashscope_build_dir/CMakeCache.txt" 2>/dev/null
}

# flashscope_configure -DNAME=VALUE...: configure the tree of $flashscope_preset (`default`:
# build/default, Release, warnings as errors) with these settings. A tree already configured is only re-configured when a
# setting changes, so a second run rebuilds only what changed. FLASHSCOPE_WERROR=OFF in the
# environment builds without -Werror (a compiler newer than the ones CI uses may warn).
flashscope_configure() {
    local args=("-DFLASHSCOPE_WERROR=${FLASHSCOPE_WERROR:-ON}" "$@")
    if command -v ccache >/dev/null 2>&1; then
        args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
        [[ " ${args[*]} " == *" -DFLASHSCOPE_WITH_CUDA=ON "* ]] && args+=(-DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
    fi
    if flashscope_have_nvcc && ! command -v nvcc >/dev/null 2>&1; then
        export PATH="/usr/local/cuda/bin:$PATH"
    fi
    if [ ! -f "$flashscope_build_dir/build.ninja" ]; then
        cmake --preset "$flashscope_preset" "${args[@]}"
        return
    fi
    local arg name value changed=0
    for arg in "${args[@]}"; do
        name=${arg#-D}
        value=${name#*=}
        name=${name%%=*}
        [ "$(flashscope_cached "$name")" = "$value" ] || changed=1
    done
    if [ $changed -eq 1 ]; then cmake -S . -B "$flashscope_build_dir" "${args[@]}" >/dev/null; fi
}
