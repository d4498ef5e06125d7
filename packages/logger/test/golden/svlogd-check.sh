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
# runit's check sleeps 3 s; 5 s leaves the 2 s timer room when Node starts slowly on a loaded machine.
( echo foo; sleep 5 ) | svlogd "${ctmp}"
echo $?
cat "${ctmp}"/current

rm -rf "${ctmp}"
