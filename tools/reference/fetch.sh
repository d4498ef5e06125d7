#!/usr/bin/env bash
# Unpacks Debian's runit, daemontools and runit-services packages into a private folder (never on
# PATH, nothing started) and prints that folder. Interop tests find the reference binaries (and
# runit-services' service tree) through RUNIT_REF_DIR.
# Usage: export RUNIT_REF_DIR="$(bash tools/reference/fetch.sh)"
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="${1:-$root/.reference}"
packages=(runit daemontools runit-services)

have_all() {
  [ -x "$dest/usr/bin/sv" ] && [ -x "$dest/usr/bin/runsv" ] && [ -x "$dest/usr/bin/svstat" ] && [ -x "$dest/sbin/runit" ] &&
    [ -x "$dest/usr/share/runit/sv/cron/run" ]
}

if ! have_all; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # apt-get download drops privileges to _apt, which cannot write to a private temp dir.
  chmod 0777 "$work"
  if ! (cd "$work" && apt-get download "${packages[@]}" >&2); then
    echo "fetch.sh: apt-get download failed; running apt-get update and retrying" >&2
    apt-get update >&2
    (cd "$work" && apt-get download "${packages[@]}" >&2)
  fi
  mkdir -p "$dest"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$dest"
  done
fi
have_all || { echo "fetch.sh: reference binaries missing after unpacking into $dest" >&2; exit 1; }
echo "$dest"
