// The sizes of the heavy cases. CI runs the defaults, which still show each point (see
// docs/reliability.md); the full sizes of issue 18 are a variable away, e.g. FAULTS_STORM_KILLS=1000
// FAULTS_STORM_SECONDS=30 FAULTS_FUZZ_BYTES=28800000 npm test -- --projects @runit-ts/faults.
const size = (name: string, ciDefault: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : ciDefault;
};

export const SIZES = {
  /** Kills of one service in a storm, and over how many seconds. */
  stormKills: size('FAULTS_STORM_KILLS', 210),
  stormSeconds: size('FAULTS_STORM_SECONDS', 7),
  /** The services the kills go round (runsv restarts one at most once a second). */
  stormServices: size('FAULTS_STORM_SERVICES', 10),
  /** Services started under a tight file limit, and that limit (ulimit -n). */
  fdServices: size('FAULTS_FD_SERVICES', 50),
  fdLimit: size('FAULTS_FD_LIMIT', 32),
  /** A hard file limit and the services with a log started under it. */
  fdHard: size('FAULTS_FD_HARD', 512),
  fdLogged: size('FAULTS_FD_LOGGED', 50),
  /** Bytes written into a control FIFO that no command reads. */
  fuzzBytes: size('FAULTS_FUZZ_BYTES', 1_000_000),
  /** Services that crash in a loop, and for how long. */
  crashLoopServices: size('FAULTS_CRASH_LOOP_SERVICES', 35),
  crashLoopSeconds: size('FAULTS_CRASH_LOOP_SECONDS', 10),
};

/** The variable and value of each size, for the report. */
export const sizeTable = (): Array<[string, number]> => [
  ['FAULTS_STORM_KILLS', SIZES.stormKills],
  ['FAULTS_STORM_SECONDS', SIZES.stormSeconds],
  ['FAULTS_STORM_SERVICES', SIZES.stormServices],
  ['FAULTS_FD_SERVICES', SIZES.fdServices],
  ['FAULTS_FD_LIMIT', SIZES.fdLimit],
  ['FAULTS_FD_HARD', SIZES.fdHard],
  ['FAULTS_FD_LOGGED', SIZES.fdLogged],
  ['FAULTS_FUZZ_BYTES', SIZES.fuzzBytes],
  ['FAULTS_CRASH_LOOP_SERVICES', SIZES.crashLoopServices],
  ['FAULTS_CRASH_LOOP_SECONDS', SIZES.crashLoopSeconds],
];
