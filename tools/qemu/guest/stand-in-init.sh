#!/bin/sh
# A stand-in /init (busybox sh) proving the boot pipeline until runit-init takes its place: it mounts
# the pseudo filesystems, runs node and our bundles, loads the addon, then powers off or reboots as
# the kernel command line says (runit_ts_action=poweroff|reboot). Every line it prints starts with
# "stand-in:" so the host can check them in order on the serial console.
export PATH=/usr/bin:/usr/sbin:/bin:/sbin
# Each line carries the guest's uptime once /proc is there, to see where boot time goes.
say() {
  if [ -r /proc/uptime ] && read -r uptime _ </proc/uptime; then echo "stand-in: [$uptime] $*"; else echo "stand-in: $*"; fi
}

say "init pid $$"
# What runit-init and runit will meet as PID 1: nothing mounted but the initramfs itself.
# Without /proc, Node cannot read /proc/self/exe: process.execPath is then a guess from argv[0].
say "node before mounts: $(node -e 'process.stdout.write(`${process.version} execPath ${process.execPath}`)' 2>&1)"

mount -t proc proc /proc && mount -t sysfs sysfs /sys && mount -t devtmpfs devtmpfs /dev \
  && mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run && say "mounted proc sysfs devtmpfs run"

say "$(node -e 'const os = require("node:os"); process.stdout.write(`node ${process.version} execPath ${process.execPath} pid ${process.pid} kernel ${os.release()} cpus ${os.cpus().length}`)' 2>&1)"

# Our bundled sv through its launcher on PATH: without arguments it prints its usage and exits 100.
said="$(sv 2>&1)"
code=$?
say "sv says: $(echo "$said" | head -n1)"
say "sv exit $code"

# Bundles that load the addon and use it: chpst -P and its pgrphack personality (reached through
# its link's name) call setsid() and execve() through the addon; a child of this shell is otherwise
# in PID 1's session 0, so "pgrp = sid = pid" shows both worked.
session='read -r _ _ _ _ pgrp sid _ </proc/$$/stat; echo "pid $$ pgrp $pgrp sid $sid"'
say "chpst -P: $(chpst -P sh -c "$session" 2>&1)"
say "pgrphack: $(pgrphack sh -c "$session" 2>&1)"

# The addon beside each bundle that loads it, where native/lib/load.ts looks first; one node for all
# (each node start costs about a second under TCG).
node -e '
  for (const path of process.argv.slice(1)) {
    const addon = require(path);
    addon.setErrnoFactory((errno, syscall) => Object.assign(new Error(syscall), { errno }));
    const [readEnd, writeEnd] = addon.pipe();
    console.log(`addon ok ${path} pgid ${addon.getpgid(0)} pipe ${readEnd},${writeEnd}`);
  }
' /usr/lib/runit-ts/*/dist/runit_native.node 2>&1 | while read -r line; do say "$line"; done

action=poweroff
for word in $(cat /proc/cmdline); do
  case "$word" in runit_ts_action=*) action="${word#runit_ts_action=}" ;; esac
done
case "$action" in
  reboot) say "rebooting"; reboot -f ;;
  *) say "powering off"; poweroff -f ;;
esac
say "still running after $action"
sleep 1000
