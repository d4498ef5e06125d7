#!/bin/sh
# runit's own sv check (src/sv.check, docs/runit-behaviour.md §7), rewritten to wait for states
# instead of sleeping.
# Run with `sv` and `runsv` first on PATH and ctmp set to a path that does not exist yet; the output
# must equal sv-check.out for the real sv and for ours (both driving the real runsv).

# waitfor CONDITION: polls a shell condition for up to 20 s.
waitfor() {
  n=0
  until eval "$1"; do
    n=$((n + 1))
    if [ $n -gt 1000 ]; then echo "timed out waiting for: $1"; return 1; fi
    sleep 0.02
  done
}

sv
echo $?
# The $Id line names the build; print it in one neutral form.
sv -V 2>"${ctmp}.version"
rc=$?
sed 's/^\$Id: [^$]* \$$/$Id$/' "${ctmp}.version"
rm -f "${ctmp}.version"
echo $rc

mkdir "${ctmp}"
cat >"${ctmp}"/run <<-\EOT
	#!/bin/sh
	echo starting
	exec sleep 14
	EOT
chmod 700 "${ctmp}"/run
runsv "${ctmp}" >"${ctmp}.out" 2>&1 &
runsv=$!
waitfor 'grep -qx run "${ctmp}"/supervise/stat 2>/dev/null && grep -q starting "${ctmp}.out"'
cat "${ctmp}.out"
sv down "${ctmp}"
echo $?
waitfor 'grep -qx down "${ctmp}"/supervise/stat'
cat "${ctmp}"/supervise/stat
sv exit "${ctmp}"
echo $?
wait $runsv
echo $?
rm -rf "${ctmp}" "${ctmp}.out"
