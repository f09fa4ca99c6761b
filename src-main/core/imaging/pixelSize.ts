// Physical pixel size (nm per pixel) from whatever a TIFF carries, most specific first:
// OME-XML, the ImageJ description, the SEM vendors' own tags, then XResolution+ResolutionUnit.

export type PixelSizeSource = 'ome' | 'imagej' | 'sem' | 'resolution';

export interface PixelSizeInput {
  description: string | null;
  xResolution: number | null;
  resolutionUnit: number | null;
  zeissSem: string | null; // tag 34118, CZ_SEM text
  feiSem: string | null; // tag 34682, FEI/Thermo INI text
}

const NM_PER_UNIT: Record<string, number> = {
  pm: 1e-3, nm: 1, nanometer: 1, nanometre: 1, um: 1e3, 'µm': 1e3, 'μm': 1e3, micron: 1e3, microns: 1e3,
  micrometer: 1e3, micrometre: 1e3, mm: 1e6, millimeter: 1e6, cm: 1e7, centimeter: 1e7, m: 1e9, meter: 1e9,
  inch: 2.54e7, in: 2.54e7, 'Å': 0.1, angstrom: 0.1,
};

function unitToNm(unit: string): number | null {
  const key = unit.trim().replace(/\\u00B5/gi, 'µ').toLowerCase();
  return NM_PER_UNIT[key] ?? NM_PER_UNIT[unit.trim()] ?? null;
}

function positive(v: number | null): number | null {
  return v !== null && Number.isFinite(v) && v > 0 ? v : null;
}

export function pixelSizeFromOme(xml: string): number | null {
  const pixels = /<(?:\w+:)?Pixels\b[^>]*>/.exec(xml)?.[0];
  if (!pixels) return null;
  const size = /\bPhysicalSizeX="([^"]+)"/.exec(pixels)?.[1];
  if (!size) return null;
  const unit = /\bPhysicalSizeXUnit="([^"]+)"/.exec(pixels)?.[1] ?? 'µm';
  const factor = unitToNm(unit);
  return factor === null ? null : positive(Number(size) * factor);
}

/** ImageJ stores 1/XResolution in `unit=` units (ResolutionUnit is "none"). */
export function pixelSizeFromImageJ(description: string, xResolution: number | null): number | null {
  const unit = /^unit=(.+)$/m.exec(description)?.[1];
  if (!unit || xResolution === null || xResolution <= 0) return null;
  const factor = unitToNm(unit);
  return factor === null ? null : positive(factor / xResolution);
}

export function pixelSizeFromSem(zeiss: string | null, fei: string | null): number | null {
  if (fei) {
    const m = /^PixelWidth=([-+0-9.eE]+)/m.exec(fei);
    if (m?.[1]) return positive(Number(m[1]) * 1e9); // metres
  }
  if (zeiss) {
    const m = /Image Pixel Size\s*=\s*([-+0-9.eE]+)\s*(pm|nm|µm|um|mm)/.exec(zeiss);
    if (m?.[1] && m[2]) {
      const factor = unitToNm(m[2]);
      if (factor !== null) return positive(Number(m[1]) * factor);
    }
  }
  return null;
}

/**
 * Defaults written by tools that know nothing of the sample: screen/print dpi, and libvips'
 * 1 px/mm (stored as 25.4 dpi). Treating them as physical would put a metre-scale bar on a cell.
 */
const MEANINGLESS_DPI = new Set([1, 25.4, 72, 96, 300]);

/**
 * Nanometres per ResolutionUnit: the TIFF specification's 2 (inch, also the default when the tag
 * is absent) and 3 (centimetre), and tifffile's extensions 4 (millimetre) and 5 (micrometre),
 * which scikit-image and napari scripts write. 1 means "no absolute unit"; others mean nothing.
 */
const NM_PER_RESOLUTION_UNIT: Record<number, number> = { 2: 2.54e7, 3: 1e7, 4: 1e6, 5: 1e3 };

export function pixelSizeFromResolution(xResolution: number | null, unit: number | null): number | null {
  if (xResolution === null || !(xResolution > 0)) return null;
  const nmPerUnit = NM_PER_RESOLUTION_UNIT[unit ?? 2];
  if (nmPerUnit === undefined) return null;
  if ((unit ?? 2) === 2 && MEANINGLESS_DPI.has(Math.round(xResolution * 1000) / 1000)) return null;
  return positive(nmPerUnit / xResolution); // XResolution is pixels per unit
}

export function resolvePixelSize(input: PixelSizeInput): { nm: number; source: PixelSizeSource } | null {
  const d = input.description;
  if (d && d.includes('<OME')) {
    const nm = pixelSizeFromOme(d);
    if (nm !== null) return { nm, source: 'ome' };
  }
  if (d && d.startsWith('ImageJ=')) {
    const nm = pixelSizeFromImageJ(d, input.xResolution);
    if (nm !== null) return { nm, source: 'imagej' };
  }
  const sem = pixelSizeFromSem(input.zeissSem, input.feiSem);
  if (sem !== null) return { nm: sem, source: 'sem' };
  const res = pixelSizeFromResolution(input.xResolution, input.resolutionUnit);
  return res === null ? null : { nm: res, source: 'resolution' };
}
