// The raw surface of runit_native.node, exactly as C++ exports it. Use the wrappers in index.ts.

/** A string goes to the kernel as UTF-8, a Buffer byte for byte. */
type RawBytes = string | Buffer;

export interface RawSpawnOptions {
  file: RawBytes;
  argv: RawBytes[];
  env: RawBytes[];
  cwd: RawBytes | null;
  fds: number[];
  setsid: boolean;
  pgid: number;
  search: boolean;
  /** Written to the child's /proc/self/oom_score_adj before its exec; null leaves the inherited value. */
  oomScoreAdj: number | null;
  /** The child's soft RLIMIT_NOFILE (at most the hard limit); null keeps the parent's. */
  fileLimit: number | null;
  uid?: number;
  gid?: number;
  groups?: number[];
  umask?: number;
}

/** A message read by receiveFds: its bytes, the fds it carried, and who sent it (the kernel's word). */
export interface RawReceived {
  data: Buffer;
  fds: number[];
  pid: number;
  uid: number;
  gid: number;
}

export interface NativeBinding {
  setErrnoFactory(factory: (errno: number, syscall: string, path?: string, detail?: string) => Error): void;
  spawn(options: RawSpawnOptions): number;
  waitAny(): number[];
  waitPids(pids: number[]): number[];
  peekExit(pid: number): number[];
  hasChildren(): boolean;
  pipe(): [number, number];
  mkfifo(path: RawBytes, mode: number): void;
  dup2(from: number, to: number): void;
  nonBlock(fd: number, on?: boolean): boolean;
  cloexec(fd: number, on?: boolean): boolean;
  O_PATH: number;
  flock(fd: number, op: number): void;
  setsid(): number;
  reboot(cmd: number): void;
  sync(): void;
  getrlimit(resource: number): [number, number];
  setrlimit(resource: number, soft: number, hard: number): void;
  setgroups(gids: number[]): void;
  setgid(gid: number): void;
  setuid(uid: number): void;
  chroot(path: RawBytes): void;
  nice(increment: number): number;
  execve(file: RawBytes, argv: RawBytes[], env: RawBytes[]): never;
  bindDatagram(path: string): number;
  receiveDatagram(fd: number, maxBytes: number): [Buffer, number, number, number] | undefined;
  watchReadable(fd: number, callback: (status: number) => void): ReadableWatchHandle;
  unwatch(handle: ReadableWatchHandle): void;
  socketPair(): [number, number];
  sendFds(fd: number, data: Buffer, fds: number[], peerPid: number): void;
  receiveFds(fd: number): RawReceived | null | undefined;
  withFsCredentials<T>(uid: number, gid: number, groups: number[], umask: number, work: () => T): T;
  pidfdOpen(pid: number): number;
  pidfdSendSignal(fd: number, signal: number): void;
  pidfdsExited(fds: number[]): boolean[];
  setChildSubreaper(): void;
  setSignalDispositions(defaulted: number[], ignored: number[]): void;
  signalDisposition(signal: number): 'default' | 'ignore' | 'handler';
  LOCK_EX: number;
  LOCK_NB: number;
  REBOOT: { AUTOBOOT: number; POWER_OFF: number; HALT_SYSTEM: number; DISABLE_CAD: number; ENABLE_CAD: number };
  RLIMIT: Record<RlimitName, number>;
}

/** What watchReadable returns: opaque, for unwatch. */
export type ReadableWatchHandle = { readonly __readableWatch: unique symbol };

export type RlimitName = 'AS' | 'CORE' | 'CPU' | 'DATA' | 'FSIZE' | 'MEMLOCK' | 'NOFILE' | 'NPROC' | 'RSS' | 'STACK';
