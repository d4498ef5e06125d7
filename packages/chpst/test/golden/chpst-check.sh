#!/bin/sh
# runit's own chpst check (src/chpst.check as of runit 2.2.0, docs/runit-behaviour.md §7), in our
# words. Run with `chpst` first on PATH and ctmp set to a path that does not exist yet; the output
# must equal chpst-check.out (for Debian's 2.1.2, whose usage line lacks [-C pwd], with that line).

chpst
echo $?
# The $Id line names the build; print it in one neutral form.
chpst -V 2>"${ctmp}.version"
rc=$?
sed 's/^\$Id: [^$]* \$$/$Id$/' "${ctmp}.version"
rm -f "${ctmp}.version"
echo $rc

mkdir "${ctmp}"
echo 1 >"${ctmp}"/test
chpst -e "${ctmp}" env | grep -x 'test=1'
echo $?
rm -rf "${ctmp}"

chpst -l "${ctmp}" true
echo $?
rm -f "${ctmp}"

chpst -L "${ctmp}" true
echo $?
rm -f "${ctmp}"

chpst -P true
echo $?

chpst -012 true
echo $?
