// /etc/runit inside a test's private mount namespace, whatever the host has: the mount point is made
// in an overlay on /etc whose writable layer is a tmpfs of the namespace, so the host's /etc is never
// written to and the tests pass the same on a machine with or without /etc/runit.

/**
 * Shell function for the first process of an `unshare --mount` namespace (whose mounts are private):
 * `private_etc_runit SCRATCH DIR` mounts a tmpfs on SCRATCH (an empty directory, e.g. in the test's
 * temp dir), lays an overlay over /etc with its upper layer there, creates /etc/runit in the overlay
 * and bind-mounts DIR over it. It ends the shell with status 99 and one line on stderr if a step
 * fails. The tmpfs and overlay vanish with the namespace; the host keeps the empty SCRATCH.
 */
export const PRIVATE_ETC_RUNIT = `private_etc_runit() {
  mount -t tmpfs -o mode=0755 tmpfs "$1" &&
    mkdir "$1/upper" "$1/work" &&
    mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc &&
    mkdir -p /etc/runit &&
    mount --bind "$2" /etc/runit ||
    { echo "private_etc_runit: cannot put $2 over /etc/runit in this mount namespace (tmpfs, overlay on /etc, bind mount)" >&2; exit 99; }
}`;
