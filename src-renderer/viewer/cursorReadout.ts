// What the readout on the image says of the point under the cursor: its pixel, its position in
// µm when the pixel size is known, and the stored value there (one number, or R G B).

export interface CursorReadout {
  /** "x 120, y 45" in level-0 pixels. */
  pixel: string;
  /** "x 0.600 µm, y 0.225 µm"; null when the pixel size is unknown. */
  physical: string | null;
}

function um(nm: number): string {
  return `${+(nm / 1000).toPrecision(4)} µm`;
}

export function cursorReadout(x: number, y: number, pixelSizeNm: number | null): CursorReadout {
  const px = Math.floor(x);
  const py = Math.floor(y);
  return {
    pixel: `x ${px}, y ${py}`,
    // The pixel's centre, as QuPath and napari report calibrated positions.
    physical: pixelSizeNm === null ? null : `x ${um((px + 0.5) * pixelSizeNm)}, y ${um((py + 0.5) * pixelSizeNm)}`,
  };
}

export function formatSamples(samples: readonly number[] | null): string {
  if (!samples) return '';
  return samples.length === 1 ? `value ${samples[0]}` : `RGB ${samples.join(' ')}`;
}
