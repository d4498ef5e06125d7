#!/usr/bin/env bash
# Boots a real kernel under qemu with runit-ts as PID 1 (/init -> /sbin/runit-init), twice: the box
# powers off after `runit-init 0`, then reboots after `runit-init 6`. The test itself lives in
# tools/qemu (see docs/qemu-boot.md); this is a shortcut to it, with the same options.
# Needs root and the bundles built: npx nx run-many -t build --outputStyle=static
set -euo pipefail
exec node "$(cd "$(dirname "$0")/../../.." && pwd)/tools/qemu/test-boot.mjs" "$@"
