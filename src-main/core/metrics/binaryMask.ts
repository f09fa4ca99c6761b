// A binary mask over an image: one byte per pixel, row-major, any non-zero byte is foreground.
// The metrics take masks in this shape so they work directly on the Uint8Array 0/1 masks the
// post-processing and the test generators produce.

export interface BinaryMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function binaryMask(width: number, height: number, data: Uint8Array): BinaryMask {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`mask size must be non-negative integers, got ${width}×${height}`);
  }
  if (data.length !== width * height) {
    throw new RangeError(`mask of ${width}×${height} needs ${width * height} bytes, got ${data.length}`);
  }
  return { width, height, data };
}

export function assertSameSize(a: BinaryMask, b: BinaryMask): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`masks differ in size: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  }
}

export function countForeground(mask: BinaryMask): number {
  let n = 0;
  const d = mask.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) n++;
  return n;
}
