// A cancel that may end a worker thread in the middle of a long synchronous computation (one
// training step can take tens of seconds on a slow CPU, and a thread busy computing reads no
// messages), but never in the middle of a write. Both threads share one Int32 cell:
//   COMPUTING  the worker may be ended at any moment: nothing it holds is lost that a stop
//              between steps would have kept;
//   WRITING    the worker is writing files (a checkpoint): it must finish first;
//   ENDING     the host has claimed the worker; it will be terminated and writes no more.
// Every change is one atomic compare-exchange, so a write never starts once ending has begun,
// and ending never begins while a write is under way.
import { JobCancelledError } from './jobContext';

const COMPUTING = 0;
const WRITING = 1;
const ENDING = 2;

export class CancelGate {
  private readonly cell: Int32Array;

  /** A new gate, or (in the worker) the one whose buffer the host passed in workerData. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
    this.cell = new Int32Array(buffer, 0, 1);
  }

  /**
   * Worker side: runs `write` with ending held off until it settles. Throws JobCancelledError
   * without running it when the host has already begun ending the thread.
   */
  async guard<T>(write: () => Promise<T>): Promise<T> {
    if (Atomics.compareExchange(this.cell, 0, COMPUTING, WRITING) !== COMPUTING) throw new JobCancelledError();
    try {
      return await write();
    } finally {
      Atomics.store(this.cell, 0, COMPUTING);
    }
  }

  /** Host side: claims the worker for ending unless it is writing; true when the caller may terminate it. */
  tryEnd(): boolean {
    const was = Atomics.compareExchange(this.cell, 0, COMPUTING, ENDING);
    return was === COMPUTING || was === ENDING;
  }
}
