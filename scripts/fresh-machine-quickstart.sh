#!/usr/bin/env bash
# Times the README's first command, ./scripts/quickstart.sh, on a fresh Debian 12 machine: a
# debootstrap root (nothing but Debian's required and important packages: no compiler, no cmake,
# no git, no ccache), a clone of this repository's current commit in it, no build tree. apt is
# part of the time. Prints quickstart's output with the seconds elapsed before each line, then
# the time of each phase (apt, configure, build, run) and the total last.
#
# usage: sudo scripts/fresh-machine-quickstart.sh [--dir DIR] [--mirror URL] [-- QUICKSTART_ARGS]
#   --dir DIR     work folder (default /var/tmp/flashscope-fresh): DIR/pristine.tar, the root
#                 debootstrap made (kept, so every run starts from the same state; delete it for
#                 a newer one), and DIR/root, unpacked from it afresh for every run
#   --mirror URL  Debian mirror (default http://deb.debian.org/debian)
# Needs root, debootstrap and tar. The commit is measured, not the working tree: commit first.
# Debian 12's apt sources (bookworm, -updates, -security) are set as an installed system has them.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=/var/tmp/flashscope-fresh
mirror=http://deb.debian.org/debian
quickstart_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) dir=$2; shift ;;
        --mirror) mirror=$2; shift ;;
        --) shift; quickstart_args=("$@"); break ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "usage: $0 [--dir DIR] [--mirror URL] [-- QUICKSTART_ARGS]" >&2; exit 2 ;;
    esac
    shift
done
if [ "$(id -u)" -ne 0 ]; then echo "$0: needs root (debootstrap, chroot)" >&2; exit 2; fi
command -v debootstrap >/dev/null || { echo "$0: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
root=$dir/root

if [ ! -f "$dir/pristine.tar" ]; then
    echo "fresh: debootstrap bookworm into $dir/pristine.root (once; not part of the time)"
    rm -rf "$dir/pristine.root"
    debootstrap bookworm "$dir/pristine.root" "$mirror" >"$dir/debootstrap.log"
    tar -C "$dir/pristine.root" -cf "$dir/pristine.tar.part" .
    mv "$dir/pristine.tar.part" "$dir/pristine.tar"
    rm -rf "$dir/pristine.root"
fi

unmount() {
    for m in dev/pts dev proc; do
        if mountpoint -q "$root/$m"; then umount "$root/$m"; fi
    done
}
trap unmount EXIT
unmount
if grep -q " $root/" /proc/mounts; then echo "$0: something is still mounted under $root" >&2; exit 1; fi
rm -rf --one-file-system "$root"
mkdir "$root"
tar -C "$root" -xf "$dir/pristine.tar"
security=${mirror%/debian}/debian-security
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"

commit=$(git -C "$repo" rev-parse HEAD)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
    echo "fresh: note: the working tree has uncommitted changes; measuring commit $commit" >&2
fi
# A plain clone, as a user makes it (the host's git: the fresh root has none until quickstart
# installs it).
git clone -q --no-local --no-checkout "$repo" "$root/root/flashscope"
git -C "$root/root/flashscope" checkout -q --detach "$commit"

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
echo "fresh: commit $commit, $machine, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "fresh: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "fresh: \$ ./scripts/quickstart.sh ${quickstart_args[*]}"
log=$dir/quickstart.log
times >"$dir/cpu.before"  # CPU time of this shell's finished children (bash's `times`, 2nd line)
start=$(date +%s%N)
# A clean environment (no host PATH, ccache settings or build cache); quickstart.sh marks its
# phases on request.
set +e
chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 FLASHSCOPE_PHASE_TIMES=1 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c 'cd /root/flashscope && exec ./scripts/quickstart.sh "$@"' quickstart \
    ${quickstart_args[@]+"${quickstart_args[@]}"} 2>&1 |
    while IFS= read -r line; do
        tenths=$((($(date +%s%N) - start) / 100000000))
        printf '[%4d.%d s] %s\n' $((tenths / 10)) $((tenths % 10)) "$line"
    done | tee "$log"
status=${PIPESTATUS[0]}
set -e
end=$(date +%s%N)
times >"$dir/cpu.after"
load=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$status" -ne 0 ]; then echo "fresh: quickstart.sh failed (exit $status); log: $log" >&2; exit "$status"; fi

# Phases from quickstart.sh's marks ("flashscope-phase: NAME EPOCH" at the start of each).
echo
echo "fresh: phases (seconds), load average after: $load"
awk -v start="${start%?????????}.${start: -9}" -v end="${end%?????????}.${end: -9}" '
    /flashscope-phase: / { n++; name[n] = $(NF - 1); at[n] = $NF }
    END {
        at[n + 1] = end
        printf "  %-10s %6.1f\n", "start", at[1] - start
        for (i = 1; i <= n; i++) printf "  %-10s %6.1f\n", name[i], at[i + 1] - at[i]
    }' "$log"
# CPU seconds (user + system) of quickstart and everything it ran: what a quiet machine's wall
# time is bounded by, whatever else was running here.
cpu=$(awk 'FNR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s[FILENAME] += t[1] * 60 + t[2] } }
           END { for (f in s) if (f ~ /after$/) a = s[f]; else b = s[f]; printf "%.1f", a - b }' \
          "$dir/cpu.before" "$dir/cpu.after")
echo "fresh: CPU time (user + system) $cpu s"
tenths=$(((end - start) / 100000000))
echo "fresh: total $((tenths / 10)).$((tenths % 10)) s ($machine, load average $load after)"
