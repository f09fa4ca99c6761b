// The image list's and the overview's rows stay current while a sweep runs: the events of each
// half second are gathered into one read, due half a second after the first of them, so a sweep
// that announces itself every 100 ms still refreshes the rows twice a second (a read after the
// last event only left the list at "sweeping 0 %" until the sweep ended); and a read that
// answers after a newer one is not shown.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPayload } from '../../../src-main/api/types';
import type { Connection } from '../../../src-renderer/api/transport';
import { OVERVIEW_GATHER_MS, watchOverview, type ImageOverview } from '../../../src-renderer/overview/overviewFeed';
import { deferred, FakeApi, type Deferred } from './support/fakeApi';

const runEvent = {} as EventPayload<'sweep.run'>;

describe('watchOverview', () => {
  let api: FakeApi;
  let answers: Deferred<ImageOverview[]>[];
  let shown: ImageOverview[][];
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    api = new FakeApi();
    answers = [];
    shown = [];
    api.handle('images.overview', () => {
      const answer = deferred<ImageOverview[]>();
      answers.push(answer);
      return answer.promise;
    });
    stop = watchOverview({ api } as unknown as Connection, (rows) => shown.push(rows), () => undefined);
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  const reads = () => api.paramsOf('images.overview').length;

  it('reads twice a second while events keep coming every 100 ms, and once more after the last', async () => {
    expect(reads()).toBe(1);
    for (let t = 0; t < 2000; t += 100) {
      api.emit('sweep.run', runEvent);
      await vi.advanceTimersByTimeAsync(100);
    }
    // 2 s of events: a read every half second, not one after they stop.
    expect(reads()).toBe(1 + 2000 / OVERVIEW_GATHER_MS);
    await vi.advanceTimersByTimeAsync(OVERVIEW_GATHER_MS * 4);
    expect(reads()).toBe(1 + 2000 / OVERVIEW_GATHER_MS);
    // One event after a quiet spell: one read, half a second later.
    api.emit('review.changed', undefined as unknown as EventPayload<'review.changed'>);
    await vi.advanceTimersByTimeAsync(OVERVIEW_GATHER_MS - 1);
    expect(reads()).toBe(1 + 2000 / OVERVIEW_GATHER_MS);
    await vi.advanceTimersByTimeAsync(1);
    expect(reads()).toBe(2 + 2000 / OVERVIEW_GATHER_MS);
  });

  it('shows only the newest read when an older one answers last', async () => {
    api.emit('sweep.run', runEvent);
    await vi.advanceTimersByTimeAsync(OVERVIEW_GATHER_MS);
    expect(answers).toHaveLength(2);
    const older: ImageOverview[] = [];
    const newer: ImageOverview[] = [];
    answers[1]!.resolve(newer);
    await vi.advanceTimersByTimeAsync(0);
    answers[0]!.resolve(older);
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toBe(newer);
  });
});
