// The part of the guest that changes only with the host's Node and busybox: the node binary and the
// shared libraries it loads, busybox-static with its applet links, device nodes and the skeleton.
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';

export const BUSYBOX = '/bin/busybox';

// The kernel opens /dev/console for PID 1 before anything is mounted: it must be in the archive.
// /dev/null is there too, for whatever runs before stage 1 mounts devtmpfs over /dev.
const DEVICES = [
  ['/dev/console', 5, 1, 0o600],
  ['/dev/null', 1, 3, 0o666],
];

const DIRECTORIES = [
  ['/proc', 0o555],
  ['/sys', 0o555],
  ['/dev', 0o755],
  ['/run', 0o755],
  ['/tmp', 0o1777],
  ['/root', 0o700],
  ['/etc', 0o755],
  ['/var/log', 0o755],
  ['/mnt', 0o755],
];

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** Absolute paths of the shared libraries (and the dynamic loader) that `binary` loads, per ldd. */
export function sharedLibraries(binary) {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const paths = [];
  for (const line of out.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (match) paths.push(match[1]);
  }
  return paths;
}

/** What the base archive is made of; its JSON is the cache key (any change rebuilds the base). */
export function describeBase({ node, libraries, skipApplets }) {
  const stamp = (path) => {
    const st = statSync(path);
    return `${path}:${st.size}:${st.mtimeMs}`;
  };
  return {
    format: 1,
    node: stamp(node),
    busybox: stamp(BUSYBOX),
    libraries: [...libraries].sort().map(stamp),
    skipApplets: [...skipApplets].sort(),
  };
}

function busyboxApplets() {
  const out = execFileSync(BUSYBOX, ['--list-full'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line !== '');
}

/** Adds the base to `tree`: node at /usr/bin/node, its libraries at the paths ldd names, busybox. */
export function addBase(tree, { node, libraries, skipApplets }) {
  for (const [path, mode] of DIRECTORIES) tree.dir(path, mode);
  for (const [path, major, minor, mode] of DEVICES) tree.charDevice(path, major, minor, mode);
  tree.file('/etc/passwd', PASSWD);
  tree.file('/etc/group', GROUP);
  tree.file('/usr/bin/node', readFileSync(node), 0o755);
  for (const library of libraries) tree.file(library, readFileSync(realpathSync(library)), 0o755);
  tree.file(BUSYBOX, readFileSync(BUSYBOX), 0o755);
  const skip = new Set(skipApplets);
  for (const applet of busyboxApplets()) {
    const name = applet.split('/').pop();
    if (skip.has(name) || tree.has(`/${applet}`)) continue;
    tree.symlink(`/${applet}`, BUSYBOX);
  }
}
