// The page side of tile batches against a scripted fetch: one request per task, tiles resolved
// as their records arrive, aborts, and plain HTTP taking over when a batch fails.
import { describe, expect, it } from 'vitest';
import { TileBatchSource } from '../../../src-renderer/api/tileBatchSource';
import type { TileSource } from '../../../src-renderer/api/tileSource';
import type { TileKey } from '../../../src-renderer/api/tileSource';

function record(bytes: number[] | null): Uint8Array {
  const out = new Uint8Array(8 + (bytes?.length ?? 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, bytes ? 0 : 1, true);
  view.setUint32(4, bytes?.length ?? 0, true);
  if (bytes) out.set(bytes, 8);
  return out;
}

/** A fetch whose response body the test writes chunk by chunk. */
class ScriptedFetch {
  readonly calls: { url: string; signal: AbortSignal; headers: HeadersInit | undefined }[] = [];
  private readonly bodies: ReadableStreamDefaultController<Uint8Array>[] = [];
  status = 200;
  readonly fn: typeof fetch = async (input, init) => {
    this.calls.push({ url: String(input), signal: init!.signal!, headers: init!.headers });
    const body = new ReadableStream<Uint8Array>({ start: (c) => void this.bodies.push(c) });
    return new Response(this.status === 200 ? body : 'broken', { status: this.status });
  };

  write(call: number, chunk: Uint8Array): void {
    this.bodies[call]!.enqueue(chunk);
  }

  end(call: number): void {
    this.bodies[call]!.close();
  }
}

const fallbackCalls: string[] = [];
const fallback: TileSource = {
  maxConcurrent: 6,
  maxAhead: 4,
  fetchTile: async (imageId, t) => {
    fallbackCalls.push(`${imageId}.${t.level}.${t.col}.${t.row}`);
    return new Uint8Array([99]).buffer;
  },
};

const endpoint = { base: 'http://127.0.0.1:9/', token: 'tok' };
const tile = (col: number): TileKey => ({ level: 1, col, row: 2 });
const never = (): AbortSignal => new AbortController().signal;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const bytesOf = async (p: Promise<ArrayBuffer | null>): Promise<number[] | null> => {
  const b = await p;
  return b && [...new Uint8Array(b)];
};

function setup(now: () => number = () => 0): { f: ScriptedFetch; source: TileBatchSource } {
  fallbackCalls.length = 0;
  const f = new ScriptedFetch();
  return { f, source: new TileBatchSource(endpoint, fallback, f.fn, now) };
}

describe('TileBatchSource', () => {
  it('asks for the tiles of one task in one request and resolves each as its record arrives', async () => {
    const { f, source } = setup();
    const a = source.fetchTile(5, tile(0), never(), 'high');
    const b = source.fetchTile(5, tile(1), never(), 'low');
    await settle();
    expect(f.calls.map((c) => c.url)).toEqual(['http://127.0.0.1:9/tile-batch?t=5.1.0.2,5.1.1.2']);
    expect(f.calls[0]!.headers).toEqual({ authorization: 'Bearer tok' });
    const first = record([4, 5, 6]);
    f.write(0, first.subarray(0, 5)); // records split across chunks
    f.write(0, Uint8Array.from([...first.subarray(5), ...record(null)]));
    expect(await bytesOf(a)).toEqual([4, 5, 6]);
    expect(await b).toBeNull();
    f.end(0);
    await settle();
    expect(fallbackCalls).toEqual([]);
  });

  it('rejects an aborted tile at once, and ends the request when no tile of it is wanted', async () => {
    const { f, source } = setup();
    const first = new AbortController();
    const second = new AbortController();
    const p1 = source.fetchTile(5, tile(0), first.signal, 'high');
    const p2 = source.fetchTile(5, tile(1), second.signal, 'high');
    await settle();
    first.abort();
    await expect(p1).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.calls[0]!.signal.aborted).toBe(false); // tile 1 is still wanted
    second.abort();
    await expect(p2).rejects.toMatchObject({ name: 'AbortError' });
    expect(f.calls[0]!.signal.aborted).toBe(true);
    expect(fallbackCalls).toEqual([]);
  });

  it('never sends a tile aborted before its batch went out', async () => {
    const { f, source } = setup();
    const gone = new AbortController();
    const p = source.fetchTile(5, tile(0), gone.signal, 'high');
    void source.fetchTile(5, tile(1), never(), 'high');
    gone.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await settle();
    expect(f.calls.map((c) => new URL(c.url).searchParams.get('t'))).toEqual(['5.1.1.2']);
  });

  it('fetches one by one what a failed or cut-short batch did not deliver, and keeps to that for a while', async () => {
    let clock = 0;
    const { f, source } = setup(() => clock);
    const a = source.fetchTile(5, tile(0), never(), 'high');
    const b = source.fetchTile(5, tile(1), never(), 'high');
    await settle();
    f.write(0, record([7]));
    f.end(0); // the second record never comes
    expect(await bytesOf(a)).toEqual([7]);
    expect(await bytesOf(b)).toEqual([99]);
    expect(fallbackCalls).toEqual(['5.1.1.2']);
    expect(await bytesOf(source.fetchTile(5, tile(2), never(), 'high'))).toEqual([99]);
    expect(f.calls).toHaveLength(1);

    clock = 60_000; // batches are tried again
    f.status = 500;
    const c = source.fetchTile(5, tile(3), never(), 'high');
    expect(await bytesOf(c)).toEqual([99]);
    expect(f.calls).toHaveLength(2);
    expect(fallbackCalls).toEqual(['5.1.1.2', '5.1.2.2', '5.1.3.2']);
  });
});
