// Progress of a long CLI command, on stderr (stdout carries the results, one JSON line each).
// On a terminal one line is redrawn in place. Anywhere else (a log file, a pipe, a Slurm job's
// output) carriage returns would run every update together into one endless line, so each
// update is a line of its own — at most one a second, the last always written. `--quiet`
// writes nothing.

export interface ProgressOptions {
  quiet: boolean;
  /** Default process.stderr. */
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** Least time between two lines when not on a terminal, ms (default 1000). */
  minIntervalMs?: number;
  now?: () => number;
}

export interface ProgressReporter {
  /** The current state, e.g. "image 3: 120/400 crops, ~40 s left". */
  update(text: string): void;
  /** The work this progress described ended: finishes the line (and writes a held-back last update). */
  end(): void;
}

const CLEAR_TO_END = '\x1b[K';

export function progressReporter(options: ProgressOptions): ProgressReporter {
  if (options.quiet) return { update: () => undefined, end: () => undefined };
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const minInterval = options.minIntervalMs ?? 1000;
  if (stream.isTTY === true) {
    let drawn = false;
    return {
      update(text) {
        stream.write(`\r${text}${CLEAR_TO_END}`);
        drawn = true;
      },
      end() {
        if (drawn) stream.write('\n');
        drawn = false;
      },
    };
  }
  let lastWritten: string | null = null;
  let lastAt = -Infinity;
  let held: string | null = null;
  const write = (text: string): void => {
    stream.write(`${text}\n`);
    lastWritten = text;
    lastAt = now();
    held = null;
  };
  return {
    update(text) {
      if (text === lastWritten) return;
      if (now() - lastAt >= minInterval) write(text);
      else held = text;
    },
    end() {
      if (held !== null) write(held);
      lastWritten = null;
      lastAt = -Infinity;
    },
  };
}
