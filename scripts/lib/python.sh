# The Python package's tests, for test.sh. Sourced, not run. Needs python3 with venv (setup.sh)
# and PyPI the first time; later runs reuse build/venv and rebuild only what changed.

FLASHSCOPE_VENV=build/venv

# A virtual environment with python/requirements-test.txt, refreshed when that file changes.
flashscope_python_env() {
    local want have=""
    [ -x "$FLASHSCOPE_VENV/bin/python" ] || python3 -m venv "$FLASHSCOPE_VENV"
    want=$(sha256sum python/requirements-test.txt | cut -c1-16)
    [ -f "$FLASHSCOPE_VENV/requirements.sha" ] && have=$(cat "$FLASHSCOPE_VENV/requirements.sha")
    if [ "$want" != "$have" ]; then
        "$FLASHSCOPE_VENV/bin/pip" install -q --disable-pip-version-check -r python/requirements-test.txt
        echo "$want" > "$FLASHSCOPE_VENV/requirements.sha"
    fi
}

# flashscope_python_tests CLI: pip-installs the package from this tree (its CMake build kept in
# build/python), then runs python/tests; CLI is the flashscope binary the tests compare against.
flashscope_python_tests() {
    local cli=$1 cmake_args=${CMAKE_ARGS:-}
    flashscope_python_env
    command -v ccache >/dev/null && cmake_args="$cmake_args -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
    CMAKE_ARGS="$cmake_args" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
        "$FLASHSCOPE_VENV/bin/pip" install -q --disable-pip-version-check --no-build-isolation --no-deps .
    FLASHSCOPE_CLI="$(realpath "$cli")" "$FLASHSCOPE_VENV/bin/python" -m pytest -q python/tests
}
