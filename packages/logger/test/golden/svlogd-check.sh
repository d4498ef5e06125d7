#!/bin/sh
# Port of runit's svlogd check (docs/runit-behaviour.md §7): run with `svlogd` first in PATH and ctmp
# set to a fresh path.
rm -rf "${ctmp}"

svlogd
echo $?
svlogd -V
echo $?

mkdir "${ctmp}"
echo foo | svlogd "${ctmp}"
echo $?
cat "${ctmp}"/current

( echo bar; echo baz ) | svlogd "${ctmp}"
echo $?
cat "${ctmp}"/current

( echo foo; echo bar; echo baz ) | svlogd -r: -R fb "${ctmp}"
echo $?
cat "${ctmp}"/current

echo t2 >"${ctmp}"/config
# runit's check sleeps 3 s and expects the 2 s timer to have rotated current by then; this keeps the
# input open until the rotated file is there (for at most about 20 s), however slowly svlogd starts.
( echo foo; n=0; until ls "${ctmp}"/@* >/dev/null 2>&1 || [ $n -ge 400 ]; do n=$((n + 1)); sleep 0.05; done ) | svlogd "${ctmp}"
echo $?
cat "${ctmp}"/current

rm -rf "${ctmp}"
