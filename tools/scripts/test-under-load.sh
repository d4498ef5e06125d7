#!/usr/bin/env bash
# Runs the whole test suite (`npm test`) again and again under a CPU hog, one busy loop per core,
# until it has passed N times in a row or fails once, then prints one line per run and a verdict.
# The tests must never depend on timing; this is how to find those that still do.
# Usage: test-under-load.sh [-n N] [-c LOOPS] [-- ARGS for npm test]
#   -n N      passes in a row wanted (default 3)
#   -c LOOPS  busy loops (default: one per core, nproc)
# Exit status: 0 when N runs in a row passed, 1 when a run failed, 2 for a usage error.
# The busy loops and the test run are this script's own children, ended by pid (the test run by its
# process group) when it exits or gets SIGINT, SIGTERM or SIGHUP. A failed run's log is kept.
set -uo pipefail
# Job control: every background job gets a process group of its own, whose id is its pid.
set -m
cd "$(dirname "$0")/../.."

wanted=3
loops="$(nproc)"
while getopts 'n:c:' option; do
  case "$option" in
    n) wanted="$OPTARG" ;;
    c) loops="$OPTARG" ;;
    *) echo "usage: $0 [-n N] [-c LOOPS] [-- ARGS for npm test]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case "$wanted$loops" in
  *[!0-9]* | '') echo "test-under-load: -n and -c take whole numbers" >&2; exit 2 ;;
esac

logs="$(mktemp -d)"
hogs=()
run_pid=''
keep_logs=0

stop_all() {
  if [ -n "$run_pid" ]; then kill -TERM -- "-$run_pid" 2>/dev/null; wait "$run_pid" 2>/dev/null; fi
  for pid in "${hogs[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null; done
  if [ "$keep_logs" = 0 ]; then rm -rf "$logs"; fi
}
trap stop_all EXIT
trap 'echo "test-under-load: interrupted" >&2; exit 130' INT TERM HUP

for ((i = 0; i < loops; i++)); do
  bash -c 'while :; do :; done' &
  hogs+=("$!")
done
echo "test-under-load: ${#hogs[@]} busy loops (pids ${hogs[*]}); want $wanted passing runs in a row"

summary=()
streak=0
run=0
status=0
while [ "$streak" -lt "$wanted" ]; do
  run=$((run + 1))
  for pid in "${hogs[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "test-under-load: busy loop $pid is gone" >&2; status=1; break 2; fi
  done
  log="$logs/run-$run.log"
  started=$SECONDS
  echo "test-under-load: run $run starts"
  # In a process group of its own (set -m), so that an interrupt ends the whole run and nothing else.
  bash -c 'set -o pipefail; log=$1; shift; npm test -- "$@" 2>&1 | tee "$log"' bash "$log" "$@" &
  run_pid=$!
  wait "$run_pid"
  code=$?
  run_pid=''
  counts="$(sed -n 's/^Tests: //p' "$log" | tail -n 1)"
  line="run $run: $([ "$code" = 0 ] && echo passed || echo "FAILED (exit $code)") in $((SECONDS - started)) s; ${counts:-no closing count}"
  summary+=("$line")
  echo "test-under-load: $line"
  if [ "$code" != 0 ]; then
    status=1
    keep_logs=1
    break
  fi
  streak=$((streak + 1))
done

echo
echo "test-under-load: summary (${#hogs[@]} busy loops)"
for line in "${summary[@]}"; do echo "  $line"; done
if [ "$status" = 0 ]; then
  echo "test-under-load: passed $wanted runs in a row"
else
  echo "test-under-load: failed; the logs are in $logs"
fi
exit "$status"
