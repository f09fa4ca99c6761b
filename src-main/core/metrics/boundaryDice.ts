// Symmetric boundary Dice (SBD), the boundary score of the MICRA-Net paper (Bilodeau et al.),
// which takes it from Yeghiazaryan & Voiculescu, "Family of boundary overlap metrics for the
// evaluation of medical image segmentation", J. Med. Imag. 5(1) 015006 (2018).
//
// What is implemented (and how it differs from a plain "Dice of dilated boundaries"):
//   1. boundary(M) = M minus its erosion by a 3×3 square: the foreground pixels with at least
//      one of their 8 neighbours in the background. Pixels outside the image count as
//      background, so a mask touching the image edge has a boundary along it (as with the
//      zero-padded convolution of the reference code).
//   2. For every boundary pixel p of the truth and every boundary pixel of the prediction (a
//      pixel on both boundaries counts twice, as in the reference), take the square window of
//      radius r centred on p ((2r+1)² pixels, clipped to the image) and the local Dice of the
//      truth and the prediction inside it: 2|T∩P∩W| / (|T∩W| + |P∩W|). The denominator is never
//      0 because p lies in T or in P.
//   3. SBD = the mean of those local Dice values. It rewards predictions whose outline follows
//      the true outline within r pixels, on both sides (hence "symmetric").
// The reference code (FLClab MICRA-Net) slices windows [p−r, p+r), i.e. 2r×2r off-centre; we
// use the centred (2r+1)² window. Degenerate cases: both masks empty → 1; one empty → 0.
import { assertSameSize, type BinaryMask } from './binaryMask';

export const PAPER_BOUNDARY_RADIUS = 2;

/** The inner 8-connected boundary of a mask, as a 0/1 mask of the same size. */
export function maskBoundary(mask: BinaryMask): BinaryMask {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (data[i] === 0) continue;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) {
        out[i] = 1;
        continue;
      }
      // Any background pixel among the 8 neighbours makes this a boundary pixel.
      if (
        data[i - w - 1] === 0 || data[i - w] === 0 || data[i - w + 1] === 0 ||
        data[i - 1] === 0 || data[i + 1] === 0 ||
        data[i + w - 1] === 0 || data[i + w] === 0 || data[i + w + 1] === 0
      ) {
        out[i] = 1;
      }
    }
  }
  return { width: w, height: h, data: out };
}

export interface BoundaryDiceResult {
  sbd: number;
  /** How many boundary pixels (truth + prediction) were scored. */
  boundaryPixels: number;
}

export function symmetricBoundaryDice(
  truth: BinaryMask,
  prediction: BinaryMask,
  radius: number = PAPER_BOUNDARY_RADIUS,
): BoundaryDiceResult {
  assertSameSize(truth, prediction);
  if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`radius must be a non-negative integer, got ${radius}`);
  const { width: w, height: h } = truth;
  const t = truth.data;
  const p = prediction.data;
  const localDice = (cx: number, cy: number): number => {
    const x0 = Math.max(0, cx - radius);
    const x1 = Math.min(w - 1, cx + radius);
    const y0 = Math.max(0, cy - radius);
    const y1 = Math.min(h - 1, cy + radius);
    let nt = 0;
    let np = 0;
    let both = 0;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * w + x;
        const inT = t[i] !== 0;
        const inP = p[i] !== 0;
        if (inT) nt++;
        if (inP) np++;
        if (inT && inP) both++;
      }
    }
    return (2 * both) / (nt + np);
  };
  let sum = 0;
  let n = 0;
  for (const mask of [truth, prediction]) {
    const b = maskBoundary(mask).data;
    for (let i = 0; i < b.length; i++) {
      if (b[i] === 0) continue;
      sum += localDice(i % w, Math.floor(i / w));
      n++;
    }
  }
  return { sbd: n === 0 ? 1 : sum / n, boundaryPixels: n };
}
