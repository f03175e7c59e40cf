#!/usr/bin/env bash
# Formats every tracked C++/CUDA source with the repository's .clang-format.
#   --check   change nothing; list the files that differ and exit 1 (the `format` CTest)
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-clang-format}
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.cu' '*.cuh' '*.h')
if [[ ${1:-} == --check ]]; then
    bad=()
    for f in "${files[@]}"; do
        "$clang_format" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
    done
    if ((${#bad[@]})); then
        printf 'unformatted: %s\n' "${bad[@]}" >&2
        echo "format: ${#bad[@]} of ${#files[@]} files differ from .clang-format; run scripts/format.sh" >&2
        exit 1
    fi
    echo "format: all ${#files[@]} files follow .clang-format"
else
    "$clang_format" -i "${files[@]}"
fi
