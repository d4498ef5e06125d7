#!/usr/bin/env bash
# `npm start`: builds what the example needs (Nx skips what is up to date) and runs our runsvdir over
# examples/service in the foreground. Ctrl-C stops every service (logs drained) and then runsvdir.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

npx nx run-many -t build --outputStyle=static \
  -p @runit-ts/dir-scanner @runit-ts/supervisor @runit-ts/logger @runit-ts/chpst @runit-ts/sv >&2

# The services find svlogd, chpst and node here (npm start adds it too; this covers a direct run).
export PATH="$root/node_modules/.bin:$PATH"
services="$root/examples/service"
cat >&2 <<TEXT

runsvdir is supervising $services:
  $(ls "$services" | tr '\n' ' ')
In another terminal:  npx sv status examples/service/*
Logs:                 examples/service/<name>/log/main/current
Ctrl-C stops every service, then runsvdir.

TEXT
# -P: the services run in sessions of their own, so the terminal's Ctrl-C reaches runsvdir alone,
# which then stops each of them as runsv stops on SIGTERM and waits until all are down.
exec runsvdir -P "$services"
