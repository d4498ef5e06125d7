#!/bin/bash
# Runs a command in a private mount namespace where /etc/runit/runsvdir is a symlink to $1 (an overlay
# on /etc keeps the real /etc untouched), with argv[0] set to $2: the reference runsvchdir has that
# path compiled in. Usage: with-runsvdir-link.sh FARM ARGV0 PROGRAM [ARGS...]
set -u
farm=$1 argv0=$2 program=$3
shift 3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/up" "$scratch/work"
unshare --mount bash -c '
  scratch=$1 farm=$2 argv0=$3 program=$4
  shift 4
  mount -t overlay overlay -o "lowerdir=/etc,upperdir=$scratch/up,workdir=$scratch/work" /etc || exit 99
  mkdir -p /etc/runit && rm -rf /etc/runit/runsvdir && ln -s "$farm" /etc/runit/runsvdir || exit 99
  exec -a "$argv0" "$program" "$@"' bash "$scratch" "$farm" "$argv0" "$program" "$@"
