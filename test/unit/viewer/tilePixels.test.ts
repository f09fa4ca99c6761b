import { describe, expect, it } from 'vitest';
import { tileTexels } from '../../../src-renderer/viewer/tilePixels';

describe('tileTexels', () => {
  it('keeps 8-bit gray samples as they are', () => {
    const body = new Uint8Array([0, 7, 128, 255, 3, 9]).buffer;
    const t = tileTexels(body, { width: 3, height: 2, bitsPerSample: 8, channels: 1 });
    expect(t.format).toBe('r8unorm');
    expect([...t.data]).toEqual([0, 7, 128, 255, 3, 9]);
    expect(t.bytes).toBe(6);
  });
  it('decodes little-endian 16-bit gray to exact floats', () => {
    const view = new DataView(new ArrayBuffer(6));
    [0, 40000, 65535].forEach((v, i) => view.setUint16(i * 2, v, true));
    const t = tileTexels(view.buffer, { width: 3, height: 1, bitsPerSample: 16, channels: 1 });
    expect(t.format).toBe('r32float');
    expect(Array.from(t.data, (v) => Math.round(v * 65535))).toEqual([0, 40000, 65535]);
    expect(t.bytes).toBe(12);
  });
  it('expands RGB to RGBA, 16-bit RGB to its top byte', () => {
    const rgb = tileTexels(new Uint8Array([1, 2, 3, 4, 5, 6]).buffer, { width: 2, height: 1, bitsPerSample: 8, channels: 3 });
    expect([...rgb.data]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    const view = new DataView(new ArrayBuffer(6));
    [0x1234, 0xff00, 0x00ff].forEach((v, i) => view.setUint16(i * 2, v, true));
    const rgb16 = tileTexels(view.buffer, { width: 1, height: 1, bitsPerSample: 16, channels: 3 });
    expect([...rgb16.data]).toEqual([0x12, 0xff, 0x00, 255]);
  });
  it('rejects a body of the wrong size', () => {
    expect(() => tileTexels(new ArrayBuffer(5), { width: 3, height: 2, bitsPerSample: 8, channels: 1 })).toThrow(/expected 6/);
  });
});
