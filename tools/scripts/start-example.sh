#!/usr/bin/env bash
# `npm start`: builds what the example needs (Nx skips what is up to date) and runs our runsvdir over
# examples/service in the foreground. Ctrl-C stops every service (logs drained) and then runsvdir.
# Usage: start-example.sh [services-dir]   (RUNIT_TS_SKIP_BUILD=1 skips the build, for tests)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
services="$(cd "${1:-$root/examples/service}" && pwd)"
cd "$root"

if [ "${RUNIT_TS_SKIP_BUILD:-}" != 1 ]; then
  npx nx run-many -t build --outputStyle=static \
    -p @runit-ts/dir-scanner @runit-ts/supervisor @runit-ts/logger @runit-ts/chpst @runit-ts/sv >&2
fi

# The services find svlogd, chpst and node here (npm start adds it too; this covers a direct run).
export PATH="$root/node_modules/.bin:$PATH"
cat >&2 <<TEXT

runsvdir is supervising $services:
  $(ls "$services" | tr '\n' ' ')
In another terminal:  npx sv status $services/*
Logs:                 $services/<name>/log/main/current
Ctrl-C stops every service, then runsvdir.

TEXT
# -P: the services run in sessions of their own, so the terminal's Ctrl-C reaches runsvdir alone,
# which then stops each of them as runsv stops on SIGTERM and waits until all are down.
exec runsvdir -P "$services"
