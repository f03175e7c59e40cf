#!/bin/sh
# Compiler launcher for the CUDA sources of flashscope_kernels (kernels/CMakeLists.txt): runs the
# compile command it is given (after any further launcher, e.g. ccache, which replays stderr on a
# hit) and keeps ptxas's resource report (nvcc --resource-usage) in <object>.ptxas.txt beside the
# object, for resource_usage.cmake. Other diagnostics still reach the console.
object=""
previous=""
for arg in "$@"; do
  [ "$previous" = "-o" ] && object="$arg"
  previous="$arg"
done
if [ -z "$object" ]; then
  exec "$@"
fi
log="$object.ptxas.txt"
"$@" 2>"$log.part"
status=$?
grep -v -e '^ptxas info' -e '^ *[0-9]* bytes stack frame' "$log.part" >&2
mv "$log.part" "$log"
exit $status
