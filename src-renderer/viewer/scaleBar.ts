// A scale bar of a "nice" physical length (1, 2 or 5 × 10^k nm) close to a target width.

export interface ScaleBar {
  readonly widthPx: number;
  readonly label: string;
}

function formatLength(nm: number): string {
  if (nm >= 1e6) return `${+(nm / 1e6).toPrecision(3)} mm`;
  if (nm >= 1e3) return `${+(nm / 1e3).toPrecision(3)} µm`;
  return `${+nm.toPrecision(3)} nm`;
}

/** `scale` is screen px per image px; returns null when the pixel size is unknown. */
export function scaleBarFor(pixelSizeNm: number | null, scale: number, targetPx = 120): ScaleBar | null {
  if (pixelSizeNm === null || !(pixelSizeNm > 0) || !(scale > 0)) return null;
  const nmPerScreenPx = pixelSizeNm / scale;
  const targetNm = nmPerScreenPx * targetPx;
  const exponent = Math.floor(Math.log10(targetNm));
  let best = 10 ** exponent;
  for (const m of [1, 2, 5, 10]) {
    const candidate = m * 10 ** exponent;
    if (candidate <= targetNm) best = candidate;
  }
  return { widthPx: best / nmPerScreenPx, label: formatLength(best) };
}
