# Shared set-up of quickstart.sh and test.sh: install what is missing, then configure.
# Sourced, not run. Debian 12 and Ubuntu 24.04.

flashscope_packages() {
    local boost=libboost-dev
    # Debian 12's default Boost is 1.74, which has no Boost.JSON; 1.81 is packaged beside it.
    if apt-cache show libboost1.81-dev >/dev/null 2>&1; then boost=libboost1.81-dev; fi
    echo "build-essential cmake ninja-build git python3 python3-dev python3-venv $boost libyaml-cpp-dev libcli11-dev" \
         "libgtest-dev libgmock-dev libbenchmark-dev qt6-base-dev qt6-svg-dev libqcustomplot-dev" \
         "libgl-dev slurm-wlm munge"
}

flashscope_install_missing() {
    local missing=()
    for pkg in $(flashscope_packages); do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "flashscope: missing packages; run as root, or install them with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    echo "flashscope: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# flashscope_configure PRESET: configure once; later runs only rebuild what changed.
flashscope_configure() {
    local preset=$1
    if [ ! -f "build/$preset/build.ninja" ]; then
        cmake --preset "$preset"
    fi
}
