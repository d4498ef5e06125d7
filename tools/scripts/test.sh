#!/usr/bin/env bash
# The project's one test command (README: `npm test`): builds everything that needs building, the
# addon included, fetches the reference runit/daemontools binaries for the interop tests, and runs
# every package's tests, one package at a time (they start real processes and measure real state),
# then prints one closing line for all of them.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${RUNIT_REF_DIR:-}" ]; then
  RUNIT_REF_DIR="$(bash tools/reference/fetch.sh)"
  export RUNIT_REF_DIR
fi

RUNIT_TS_TEST_RESULTS="$(mktemp -d)"
export RUNIT_TS_TEST_RESULTS
trap 'rm -rf "$RUNIT_TS_TEST_RESULTS"' EXIT

node tools/scripts/launchers.mjs --check
npx nx run-many -t build --outputStyle=static
npx nx run-many -t typecheck --outputStyle=static
status=0
npx nx run-many -t test --parallel=1 --outputStyle=static "$@" || status=$?
node tools/scripts/test-summary.mjs "$RUNIT_TS_TEST_RESULTS" || status=1
exit "$status"
