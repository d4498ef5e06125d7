// Mount points inside a test's private mount namespace, whatever the host has: one that is missing is
// made in an overlay on its parent whose writable layer is a tmpfs of the namespace, so the host is
// never written to and a test passes the same on a machine with or without /etc/runit.

/**
 * Shell function for a process inside an `unshare --mount` namespace (whose mounts are private):
 * `private_mount_points SCRATCH POINT...` makes every POINT a directory that can be mounted over.
 * It mounts a tmpfs on SCRATCH (an empty directory, e.g. in the test's temp dir); a POINT missing on
 * the host is created in an overlay laid over its nearest existing parent (one overlay per parent,
 * its upper layer on that tmpfs). Make every point first and bind over them afterwards: an overlay
 * laid on a parent later would hide a bind below it. On failure it prints one line on stderr and
 * returns 1. Everything vanishes with the namespace; the host keeps only the empty SCRATCH.
 */
export const PRIVATE_MOUNT_POINTS = `private_mount_points() {
  pmp_scratch=$1
  shift
  pmp_overlaid=' '
  pmp_layers=0
  mount -t tmpfs -o mode=0755 tmpfs "$pmp_scratch" || { echo "private_mount_points: cannot mount a tmpfs on $pmp_scratch" >&2; return 1; }
  for pmp_point in "$@"; do
    [ -d "$pmp_point" ] && continue
    pmp_parent=\${pmp_point%/*}
    while [ -n "$pmp_parent" ] && [ ! -d "$pmp_parent" ]; do pmp_parent=\${pmp_parent%/*}; done
    if [ -z "$pmp_parent" ]; then echo "private_mount_points: will not lay an overlay on / for $pmp_point" >&2; return 1; fi
    case $pmp_overlaid in
      *" $pmp_parent "*) ;;
      *)
        pmp_layers=$((pmp_layers + 1))
        pmp_layer=$pmp_scratch/$pmp_layers
        mkdir "$pmp_layer" "$pmp_layer/upper" "$pmp_layer/work" &&
          mount -t overlay overlay -o "lowerdir=$pmp_parent,upperdir=$pmp_layer/upper,workdir=$pmp_layer/work" "$pmp_parent" ||
          { echo "private_mount_points: cannot lay an overlay on $pmp_parent to make $pmp_point" >&2; return 1; }
        pmp_overlaid="$pmp_overlaid$pmp_parent "
        ;;
    esac
    mkdir -p "$pmp_point" || { echo "private_mount_points: cannot make $pmp_point" >&2; return 1; }
  done
}`;
