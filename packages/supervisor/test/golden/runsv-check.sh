#!/bin/sh
# runit's own runsv check (src/runsv.check, cases a-c), rewritten to wait for states instead of
# sleeping. Run with `runsv` first on PATH and ctmp set to a path that does not exist yet; the output
# must equal runsv-check.out for the real runsv and for ours.

# waitfor CONDITION: polls a shell condition for up to 20 s.
waitfor() {
  n=0
  until eval "$1"; do
    n=$((n + 1))
    if [ $n -gt 1000 ]; then echo "timed out waiting for: $1"; return 1; fi
    sleep 0.02
  done
}
svc="${ctmp}/svc"
out="${ctmp}/runsv.out"

runsv
echo $?

mkdir -p "${svc}"
printf '#!/bin/sh\necho starting\nexec sleep 100\n' >"${svc}/run"
chmod 700 "${svc}/run"

# (a) a custom control/t that fails: it runs, TERM is still sent, the service restarts; x stops all
runsv "${svc}" >"${out}" 2>&1 &
runsv=$!
waitfor 'grep -qx run "${svc}/supervise/stat" 2>/dev/null && grep -q starting "${out}"'
cat "${svc}/supervise/stat"
mkdir -p "${svc}/control"
printf '#!/bin/sh\necho term\nexit 1\n' >"${svc}/control/t"
chmod 700 "${svc}/control/t"
echo t >"${svc}/supervise/control"
waitfor '[ "$(grep -c starting "${out}")" = 2 ] && grep -qx run "${svc}/supervise/stat"'
echo x >"${svc}/supervise/control"
wait $runsv
echo $?
cat "${out}"

# (b) a log service: handler output goes to the log pipe; x drains the log, then runsv exits 0
mkdir -p "${svc}/log"
printf '#!/bin/sh\nexec cat >foo\n' >"${svc}/log/run"
chmod 700 "${svc}/log/run"
printf '#!/bin/sh\necho no interrupt\nexit 0\n' >"${svc}/control/i"
chmod 700 "${svc}/control/i"
runsv "${svc}" >"${out}" 2>&1 &
runsv=$!
waitfor 'grep -qx run "${svc}/log/supervise/stat" 2>/dev/null && grep -q starting "${svc}/log/foo" 2>/dev/null'
echo i >"${svc}/supervise/control"
waitfor 'grep -q "no interrupt" "${svc}/log/foo"'
echo x >"${svc}/supervise/control"
wait $runsv
echo $?
cat "${svc}/log/foo"
cat "${out}"

# (c) supervise and log/supervise as dangling symlinks: runsv makes their targets
rm -rf "${svc}/supervise" "${svc}/log/supervise" "${svc}/log/foo"
ln -s foo "${svc}/supervise"
ln -s bar "${svc}/log/supervise"
runsv "${svc}" >"${out}" 2>&1 &
runsv=$!
waitfor 'grep -qx run "${svc}/foo/stat" 2>/dev/null && grep -qx run "${svc}/log/bar/stat" 2>/dev/null'
waitfor 'grep -q starting "${svc}/log/foo" 2>/dev/null'
[ -d "${svc}/foo" ] && [ -d "${svc}/log/bar" ] && echo targets made
echo x >"${svc}/foo/control"
wait $runsv
echo $?
cat "${svc}/log/foo"
cat "${out}"
rm -rf "${ctmp}"
