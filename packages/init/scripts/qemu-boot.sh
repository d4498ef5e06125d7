#!/usr/bin/env bash
# Boots a real kernel under qemu with /init -> /sbin/runit-init (tools/qemu, see docs/qemu-boot.md),
# twice: stage 2 asks for `runit-init 0` (expects a power-off) and then `runit-init 6` (a reboot).
# Needs the bundles built and root (tools/qemu/setup.sh installs qemu). Run by hand; prints the
# outcome of each boot and its runit lines.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$here/../../.."
work="$(mktemp -d /tmp/runit-qemu-boot.XXXXXX)"
trap 'rm -rf "$work"' EXIT
kernel="$(bash "$repo/tools/qemu/setup.sh")"

mkdir -p "$work/tree/etc/runit"
cd "$work/tree/etc/runit"
cat > 1 <<'STAGE'
#!/bin/sh
PATH=/usr/bin:/usr/sbin:/bin:/sbin
mount -t proc proc /proc && mount -t sysfs sysfs /sys && mount -t devtmpfs devtmpfs /dev && mount -t tmpfs -o mode=0755 tmpfs /run
echo "box: stage 1, pid 1 is $(tr '\0' ' ' < /proc/1/cmdline)"
STAGE
cat > 2 <<'STAGE'
#!/bin/sh
PATH=/usr/bin:/usr/sbin:/bin:/sbin
level=0
for word in $(cat /proc/cmdline); do case "$word" in runit_ts_level=*) level="${word#runit_ts_level=}" ;; esac; done
echo "box: stage 2, runit-init $level in 2 s"
(sleep 2; runit-init "$level") &
exec sleep 100000
STAGE
printf '#!/bin/sh\necho "box: stage 3"\n' > 3
chmod 755 1 2 3
cd "$repo"
node tools/qemu/build-initramfs.mjs --out "$work/box.cpio.gz" --init-link /sbin/runit-init --tree "$work/tree" >/dev/null

status=0
for run in "0 poweroff" "6 reboot"; do
  set -- $run
  if ! node tools/qemu/boot.mjs --kernel "$kernel" --initrd "$work/box.cpio.gz" --append "quiet runit_ts_level=$1" \
    --timeout 400 --log "$work/boot-$1.log" --expect "$2"; then
    status=1
  fi
  grep -aE '^(- runit:|box:)|reboot: ' "$work/boot-$1.log" || true
done
exit $status
