# lean_build KERNEL...: the build of the short GPU checks (scripts/flash3-check.sh, ...). Copies
# the source tree ($root) to a temporary directory, rewrites its tile table so that the `ci` set
# holds the `full` rows of the named kernels and the default tiles of flash3_fwd, flash2_fwd and
# flash2_bwd, and builds that set (Release, GUI and bench off) with the kernel tests, the smoke
# program, flashscope and the ptxas resource table. Sets $src (the copy) and $B (its build directory); the build log
# goes to $OUT/build.log. Returns non-zero, printing the errors, when the build fails. Sourced, not
# run.
lean_build() {
    local promoted=" $* "
    src=$(mktemp -d)
    B=$src/build
    (cd "$root" && tar --exclude=./build --exclude=./.git --exclude=./.device-carry -cf - .) |
        tar -xf - -C "$src"
    local table=$src/kernels/kernel_tiles.txt
    {
        grep -v '^ci ' "$table"
        local kernel
        for kernel in "$@"; do grep -E "^full +$kernel " "$table" | sed 's/^full /ci   /'; done
        # The registry default (a `full` row's first tile) of the other kernels a check needs (a
        # flash3 backward test runs the forward first).
        local defaults='^full +(flash3_fwd|flash2_fwd|flash2_bwd) '
        grep -E "$defaults" "$table" | while read -r _ kernel d dtypes tile _; do
            [[ $promoted == *" $kernel "* ]] || echo "ci    $kernel $d $dtypes $tile"
        done
    } >"$src/tiles.txt"
    mv "$src/tiles.txt" "$table"
    cmake -S "$src" -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLASHSCOPE_WITH_CUDA=ON \
        -DFLASHSCOPE_WITH_GUI=OFF -DFLASHSCOPE_BUILD_TESTS=ON -DFLASHSCOPE_BUILD_BENCH=OFF \
        -DFLASHSCOPE_KERNEL_SET=ci -DFLASHSCOPE_WERROR=OFF >"$OUT/build.log" 2>&1 &&
        cmake --build "$B" -j"$(nproc)" --target flashscope_kernel_tests flashscope_kernel_smoke \
            flashscope flashscope_kernel_resource_usage >>"$OUT/build.log" 2>&1 ||
        { grep -E "error|FAILED" "$OUT/build.log" | head -30; return 1; }
}
