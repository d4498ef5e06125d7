#!/usr/bin/env bash
# Boots our runit as PID 1 of a PID namespace and has it reap TOTAL orphans (default 1,000,000), in
# chunks; after each chunk PID 1 reports (SIGUSR1) how many orphans it has reaped and its resident set.
# Root only. Run by hand (it takes a long while); prints the report lines.
# Usage: packages/init/scripts/orphan-soak.sh [TOTAL] [CHUNK]
set -euo pipefail
total=${1:-1000000}
chunk=${2:-100000}
here="$(cd "$(dirname "$0")" && pwd)"
# RUNIT: the runit command to boot (default: the built one); point it at a copy to rebuild meanwhile.
runit="${RUNIT:-$here/../../../node_modules/.bin/runit}"
work="$(mktemp -d /tmp/runit-orphan-soak.XXXXXX)"
trap 'rm -rf "$work"' EXIT
[ -d /etc/runit ] || mkdir -p /etc/runit

cc -O2 -o "$work/make-orphans" "$here/../test/fixtures/make-orphans.c"
mkdir "$work/etc"
printf '#!/bin/sh\ntrue\n' > "$work/etc/1"
cat > "$work/etc/2" <<STAGE2
#!/bin/sh
sleep 1
kill -USR1 1
"$work/make-orphans" 2000 500 >/dev/null
sleep 2
kill -USR1 1
made=0
while [ \$made -lt $total ]; do
  "$work/make-orphans" $chunk 1000 >/dev/null
  made=\$((made + $chunk))
  # let the last batch be reaped before the report
  while grep -qs '^State:.Z' /proc/[0-9]*/status; do sleep 0.5; done
  kill -USR1 1
done
sleep 1
STAGE2
printf '#!/bin/sh\ntrue\n' > "$work/etc/3"
: > "$work/etc/nosync"
chmod 755 "$work/etc/1" "$work/etc/2" "$work/etc/3"
# A FIFO stands in for the console: runit re-opens it without O_APPEND, which would overwrite a file.
mkfifo "$work/console"
cat "$work/console" > "$work/console.log" &

start=$(date +%s)
unshare --pid --fork --mount-proc --mount --kill-child sh -c \
  'mount --bind "$1" /etc/runit && mount --bind "$2" /dev/console && exec "$3"' \
  sh "$work/etc" "$work/console" "$runit" || true
wait
echo "soak: $total orphans in $(( $(date +%s) - start )) s"
grep -a 'report:' "$work/console.log"
