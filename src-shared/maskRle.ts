// The mask encoding of the MicraApi and of decision payloads: run lengths over the box in
// row-major order, alternating 0-runs and 1-runs, starting with a (possibly empty) 0-run.
// Main encodes the masks it measures and decodes stored ones; the review page decodes the masks
// it shows and encodes the ones it edits: one codec, so both read each other's runs.
// (COCO's RLE is column-major over the whole image: see core/export/cocoRle.ts.)

export interface MaskRle {
  width: number;
  height: number;
  counts: number[];
}

export function encodeMaskRle(mask: Uint8Array, width: number, height: number): MaskRle {
  if (mask.length !== width * height) throw new Error(`mask of ${mask.length} bytes is not ${width}×${height}`);
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i] ? 1 : 0;
    if (v !== value) {
      counts.push(run);
      value = v;
      run = 0;
    }
    run++;
  }
  counts.push(run);
  return { width, height, counts };
}

export function decodeMaskRle(rle: MaskRle): Uint8Array {
  const n = rle.width * rle.height;
  const mask = new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < rle.counts.length; i++) {
    const count = rle.counts[i] as number;
    if (!Number.isInteger(count) || count < 0 || at + count > n) throw new Error('mask runs do not fit the mask size');
    if (i % 2 === 1) mask.fill(1, at, at + count);
    at += count;
  }
  if (at !== n) throw new Error(`mask runs cover ${at} of ${n} pixels`);
  return mask;
}
