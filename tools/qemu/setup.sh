#!/usr/bin/env bash
# Installs what the qemu boot test needs, idempotently, and prints the kernel image's path: Debian's
# qemu-system-x86 and busybox-static (apt), and a Debian kernel unpacked into a cache dir, never
# installed (installing linux-image pulls in initramfs-tools and upgrades systemd packages).
# Usage: kernel="$(bash tools/qemu/setup.sh)"     Cache: $RUNIT_TS_QEMU_CACHE (~/.cache/runit-ts/qemu)
set -euo pipefail
cache="${RUNIT_TS_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runit-ts/qemu}"
say() { echo "qemu/setup: $*" >&2; }
# Wait for a dpkg/apt lock that another install holds instead of failing at once.
apt_get() { apt-get -o DPkg::Lock::Timeout=300 "$@"; }

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    apt_get update -qq >&2
    apt_updated=1
  fi
}

# apt-get install with one retry after an update (the package lists may be missing or stale).
install_packages() {
  say "installing $*"
  if ! DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "$@" >&2; then
    apt_update_once
    DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends "$@" >&2
  fi
}

missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
[ -x /bin/busybox ] && /bin/busybox --list-full >/dev/null 2>&1 && ! ldd /bin/busybox >/dev/null 2>&1 \
  || missing+=(busybox-static)
[ "${#missing[@]}" = 0 ] || install_packages "${missing[@]}"

# The kernel package that the linux-image-amd64 meta-package currently points at.
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1
}
package="$(kernel_package)"
if [ -z "$package" ]; then
  apt_update_once
  package="$(kernel_package)"
fi
[ -n "$package" ] || { say "cannot tell the kernel version from 'apt-cache depends linux-image-amd64'"; exit 1; }
version="${package#linux-image-}"
dest="$cache/kernel/$version"
kernel="$dest/boot/vmlinuz-$version"

if [ ! -s "$kernel" ]; then
  say "downloading $package"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # apt-get download drops privileges to _apt, which cannot write to a private temp dir.
  chmod 0777 "$work"
  if ! (cd "$work" && apt-get download -qq "$package" >&2); then
    apt_update_once
    (cd "$work" && apt-get download -qq "$package" >&2)
  fi
  # Only the kernel image is needed: the initramfs holds no modules (everything used is built in).
  rm -rf "$dest.partial"
  mkdir -p "$dest.partial"
  dpkg-deb --fsys-tarfile "$work"/*.deb | tar -x -C "$dest.partial" --wildcards './boot/vmlinuz-*'
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
fi
[ -s "$kernel" ] || { say "no kernel image at $kernel after unpacking $package"; exit 1; }
echo "$kernel"
