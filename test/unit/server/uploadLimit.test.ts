// The bound on an upload: the smaller of the configured cap and the disk's free space less a
// margin; a declared length over it is refused at once, a streamed body is cut off as it
// crosses it.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { ByteLimit, declaredTooLarge, maxUploadFromEnv, UPLOAD_DISK_MARGIN_BYTES, uploadLimit, UploadTooLarge } from '../../../src-main/server/uploadLimit';

const MB = 1024 * 1024;
const free = (bytes: number) => async () => bytes;

describe('uploadLimit', () => {
  it('is the cap when the disk has room for it, else the free space less the margin', async () => {
    expect(await uploadLimit('/x', MB, free(UPLOAD_DISK_MARGIN_BYTES + 10 * MB))).toMatchObject({ bytes: MB, reason: 'the upload limit of 1.0 MB' });
    const tight = await uploadLimit('/x', 10 * MB, free(UPLOAD_DISK_MARGIN_BYTES + 2 * MB));
    expect(tight.bytes).toBe(2 * MB);
    expect(tight.reason).toMatch(/free space of the project's disk \(2\.0 MB, keeping 256 MB spare\)/);
    expect((await uploadLimit('/x', null, free(UPLOAD_DISK_MARGIN_BYTES - 1))).bytes).toBe(0);
  });

  it('reads the free space of a real folder', async () => {
    expect((await uploadLimit(process.cwd(), null)).bytes).toBeGreaterThanOrEqual(0);
  });

  it('compares a declared Content-Length', () => {
    const limit = { bytes: 100, reason: 'r' };
    expect(declaredTooLarge(undefined, limit)).toBe(false);
    expect(declaredTooLarge('100', limit)).toBe(false);
    expect(declaredTooLarge('101', limit)).toBe(true);
  });

  it('reads MICRA_MAX_UPLOAD_BYTES as a whole number of bytes', () => {
    expect(maxUploadFromEnv({})).toBeNull();
    expect(maxUploadFromEnv({ MICRA_MAX_UPLOAD_BYTES: ' 1048576 ' })).toBe(MB);
    for (const bad of ['0', '-1', '1.5', '1GB', 'lots']) expect(() => maxUploadFromEnv({ MICRA_MAX_UPLOAD_BYTES: bad }), bad).toThrow(/MICRA_MAX_UPLOAD_BYTES/);
  });
});

describe('ByteLimit', () => {
  const sink = (into: Buffer[]) => new Writable({ write: (chunk: Buffer, _e, done) => void (into.push(chunk), done()) });

  it('passes a body up to the limit whole', async () => {
    const got: Buffer[] = [];
    const limit = new ByteLimit({ bytes: 10, reason: 'r' });
    await pipeline(Readable.from([Buffer.alloc(4), Buffer.alloc(6)]), limit, sink(got));
    expect(Buffer.concat(got).length).toBe(10);
    expect(limit.exceeded).toBe(false);
  });

  it('fails as the body crosses the limit, passing nothing of the chunk that crossed it', async () => {
    const got: Buffer[] = [];
    const limit = new ByteLimit({ bytes: 10, reason: 'the test limit' });
    await expect(pipeline(Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]), limit, sink(got))).rejects.toBeInstanceOf(UploadTooLarge);
    expect(limit.exceeded).toBe(true);
    expect(Buffer.concat(got).length).toBe(6);
  });
});
