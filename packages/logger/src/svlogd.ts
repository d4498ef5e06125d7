// The svlogd command: standard input to log dirs until end of input or SIGTERM (docs/runit-behaviour.md §5).
import { constants as bufferConstants } from 'node:buffer';
import { closeSync, openSync } from 'node:fs';
import { envArray } from '@runit-ts/native';
import { parseSvlogdArguments } from './arguments.js';
import { dropOffer, handOff, takeOffer } from './hand-off.js';
import { reportToStderr, writeAllToStderr } from './diagnostics.js';
import { EXIT_FATAL, EXIT_OK, EXIT_USAGE } from './exit.js';
import { Logger } from './logger.js';
import * as msg from './messages.js';
import { StdinReader } from './stdin-reader.js';

const report = reportToStderr;

/** Runs svlogd with argv (after the script) and the name usage shows; ends the process. */
export function runSvlogd(argv: readonly string[], argv0: string): void {
  // a service host's offer to write the dirs itself (taken out at once: processors must not see it)
  const offer = takeOffer();
  const parsed = parseSvlogdArguments(argv);
  if (!parsed.ok) {
    writeAllToStderr(msg.refusal(parsed.problem, argv0));
    process.exit(EXIT_USAGE);
  }
  try {
    // runit keeps a descriptor of its starting directory; without one it cannot start.
    closeSync(openSync('.', 'r'));
  } catch (error) {
    report(msg.fatalCwd(error));
    process.exit(EXIT_FATAL);
  }
  const { options, dirs, bufferLength } = parsed.invocation;
  // runit allocates its line and buffers at start and dies if it cannot; ours are allocated later.
  if (Math.max(bufferLength, options.lineMax! + 1) > bufferConstants.MAX_LENGTH) {
    report(msg.fatalNoMemory);
    process.exit(EXIT_FATAL);
  }
  const verbose = options.verbose === true;
  const logger = new Logger(dirs, options);
  if (offer) {
    // the dirs are opened and locked with svlogd's own rights, whoever writes them afterwards
    if (logger.acquire() === 0) {
      report(msg.fatalNoDirs);
      process.exit(EXIT_FATAL);
    }
    if (handOff(offer, argv, logger, options.lineMax!, () => envArray(process.env))) {
      process.title = 'svlogd'; // what ps shows of the pid the log service keeps (decision 0008)
      process.exit(EXIT_OK);
    }
    dropOffer(offer);
  }
  if (logger.open() === 0) {
    report(msg.fatalNoDirs);
    process.exit(EXIT_FATAL);
  }
  // Signal handles do not keep Node running; this does, until svlogd decides to exit.
  setInterval(() => undefined, 2 ** 31 - 1);

  let exiting = false;
  let reloading: Promise<void> | undefined;
  let reloadAgain = false;

  const input = new StdinReader(0, {
    data: (chunk) => {
      if (!logger.write(chunk)) input.pause();
    },
    done: () => void finish(),
    error: (error) => {
      report(msg.withError(msg.WARNING, msg.READ_STDIN, undefined, error));
      void finish();
    },
  });
  logger.on('drain', () => {
    if (!reloading && !logger.blocked) input.resume();
  });

  const fatal = (line: string): never => {
    input.stop();
    report(line);
    process.exit(EXIT_FATAL);
  };

  async function finish(): Promise<void> {
    if (exiting) return;
    exiting = true;
    input.stop();
    // A reload in progress finishes first, so that every dir it reopens is closed cleanly.
    await reloading;
    logger.end();
    await logger.close();
    process.exit(EXIT_OK);
  }

  async function reload(): Promise<void> {
    input.pause();
    do {
      reloadAgain = false;
      if ((await logger.reload()) === 0) fatal(msg.fatalNoDirs);
    } while (reloadAgain && !exiting);
    reloading = undefined;
    if (!exiting && !logger.blocked) input.resume();
  }

  process.on('SIGTERM', () => {
    if (verbose) report(msg.infoSignal.SIGTERM);
    if (exiting) return;
    // runit reads on until the line in progress is complete (byte by byte), then exits.
    if (logger.lineComplete) void finish();
    else input.finishLine();
  });
  process.on('SIGHUP', () => {
    if (verbose) report(msg.infoSignal.SIGHUP);
    if (exiting) return;
    if (reloading) reloadAgain = true;
    else reloading = reload();
  });
  process.on('SIGALRM', () => {
    if (verbose) report(msg.infoSignal.SIGALRM);
    logger.rotate();
  });
  if (verbose) process.on('SIGCHLD', () => report(msg.infoSignal.SIGCHLD));
  process.on('uncaughtException', (error) => fatal(`${msg.FATAL}internal error: ${error.stack ?? String(error)}\n`));

  input.start();
}
