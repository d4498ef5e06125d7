// The command word: which bytes sv writes, whether it then waits, and whether a timeout kills.

export interface Plan {
  /** `control`: write `bytes` to supervise/control; `status`: print status; `none`: only wait. */
  act: 'control' | 'status' | 'none';
  /** Bytes to write; while waiting, one condition per byte (`C` is the check command's own). */
  bytes: string;
  /** Wait for the conditions after acting (always for LSB words, with -v for the short ones). */
  wait: boolean;
  /** On timeout print `kill:` and send `k` instead of printing `timeout:`. */
  kill: boolean;
}

/** Words compared whole; all other words are read by their first character only. */
const EXACT: Readonly<Record<string, Omit<Plan, 'wait'>>> = {
  'try-restart': { act: 'control', bytes: 'tc', kill: false },
  check: { act: 'none', bytes: 'C', kill: false },
  shutdown: { act: 'control', bytes: 'x', kill: false },
  start: { act: 'control', bytes: 'u', kill: false },
  stop: { act: 'control', bytes: 'd', kill: false },
  restart: { act: 'control', bytes: 'tcu', kill: false },
  reload: { act: 'control', bytes: 'h', kill: false },
  'force-reload': { act: 'control', bytes: 'tc', kill: true },
  'force-restart': { act: 'control', bytes: 'tcu', kill: true },
  'force-shutdown': { act: 'control', bytes: 'x', kill: true },
  'force-stop': { act: 'control', bytes: 'd', kill: true },
};

/** First characters that send themselves (`t`, `c` only when not try-restart/check). */
const SINGLE = 'udopcthaikq12';
/** Undocumented upper-case words: the byte to send, then kill on timeout. */
const KILLING: Readonly<Record<string, string>> = { X: 'x', E: 'x', D: 'd', T: 'tc' };

/** The plan for a command word, or undefined when the word means usage. */
export function planFor(word: string, verbose: boolean, lsb: boolean): Plan | undefined {
  const first = word[0];
  if (first === undefined) return undefined;
  const exact = EXACT[word];
  if (exact) return { ...exact, wait: true };
  if (first === 'x' || first === 'e') return { act: 'control', bytes: 'x', wait: verbose, kill: false };
  const killing = KILLING[first];
  if (killing !== undefined) return { act: 'control', bytes: killing, wait: true, kill: true };
  if (SINGLE.includes(first)) return { act: 'control', bytes: first, wait: verbose, kill: false };
  if (first === 's' && (!lsb || word === 'status')) return { act: 'status', bytes: 's', wait: false, kill: false };
  return undefined;
}
