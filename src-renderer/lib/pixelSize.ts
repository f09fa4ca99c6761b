// Pixel size as people type and read it: µm or nm per pixel, stored as nm per pixel (the
// image record's unit, which the scale bar reads).

export type PixelUnit = 'nm' | 'µm';

/** The API's bound (images.setPixelSize): 1 m per pixel. */
const MAX_NM = 1e9;

/** The unit a size reads best in: µm from 0.1 µm up (light microscopy), nm below (electron). */
export function preferredUnit(pixelSizeNm: number | null): PixelUnit {
  return pixelSizeNm !== null && pixelSizeNm >= 100 ? 'µm' : 'nm';
}

/** A number to put in the input for that unit, without float noise (0.1 + 0.2 style). */
export function valueInUnit(pixelSizeNm: number, unit: PixelUnit): string {
  const v = unit === 'µm' ? pixelSizeNm / 1000 : pixelSizeNm;
  return String(+v.toPrecision(6));
}

/** "3.5 nm/px", "1.25 µm/px", or "unknown". */
export function formatPixelSize(pixelSizeNm: number | null): string {
  if (pixelSizeNm === null) return 'unknown';
  const unit = preferredUnit(pixelSizeNm);
  return `${valueInUnit(pixelSizeNm, unit)} ${unit}/px`;
}

export type ParsedPixelSize = { ok: true; nm: number } | { ok: false; error: string };

/** Reads what the user typed ("0.5", "0,5", "2e-3") in `unit`; a comma is a decimal point. */
export function parsePixelSize(text: string, unit: PixelUnit): ParsedPixelSize {
  const cleaned = text.trim().replace(',', '.');
  if (cleaned === '') return { ok: false, error: 'type a pixel size, or use Clear to mark it unknown' };
  if (!/^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned)) return { ok: false, error: `"${text.trim()}" is not a number` };
  const value = Number(cleaned);
  const nm = unit === 'µm' ? value * 1000 : value;
  if (!(nm > 0)) return { ok: false, error: 'the pixel size must be greater than zero' };
  if (nm > MAX_NM) return { ok: false, error: 'the pixel size must be at most 1 m per pixel' };
  return { ok: true, nm };
}
