// Reads a TIFF page as horizontal bands, top to bottom, with the next band's decode already
// running in libvips while the caller works on the current one. On two cores that overlaps the
// decode (libvips threads) with the 2 × 2 reductions (the JS thread), and two bands decoding at
// once use both cores even for codecs that libvips decodes on one thread (LZW strips).
import { bytesOfSamples, type Samples } from './raster';
import { decodeRows, type FloatMapping } from './sourceDecoder';
import { canReadRowsDirectly } from './stripBands';
import type { TiffProbe } from './tiffProbe';

export interface Band {
  /** First row of the band in the page. */
  top: number;
  rows: number;
  samples: Samples;
}

/** Rows per band: whole tile rows of about `bandBytes` bytes of stored samples (at least one). */
export function bandRowsFor(probe: TiffProbe, tileSize: number, bandBytes: number): number {
  const rowBytes = probe.width * probe.storedChannels * (probe.storedBitsPerSample / 8);
  return tileSize * Math.max(1, Math.floor(bandBytes / (rowBytes * tileSize)));
}

export interface ReadBandsOptions {
  /** Bands decoding ahead of the one the caller holds. */
  inFlight?: number;
  /**
   * The caller is done with a band when it asks for the next one, so its memory may be reused
   * (for pages read directly from the file: fresh memory costs page faults, reused memory not).
   */
  recycle?: boolean;
}

/**
 * Yields the bands in order. At most `inFlight` bands are decoded or waiting at once, so memory
 * stays bounded by `inFlight` bands plus the one the caller holds.
 */
export async function* readBands(
  probe: TiffProbe,
  bandRows: number,
  mapping: FloatMapping | null,
  options: ReadBandsOptions = {},
): AsyncGenerator<Band, void, undefined> {
  const inFlight = Math.max(1, options.inFlight ?? 2);
  const pool: Buffer[] = [];
  const recycling = options.recycle === true && canReadRowsDirectly(probe);
  const pending: Promise<Band>[] = [];
  let nextTop = 0;
  const startNext = () => {
    if (nextTop >= probe.height) return;
    const top = nextTop;
    const rows = Math.min(bandRows, probe.height - top);
    nextTop += rows;
    const decoding = decodeRows(probe, top, rows, mapping, recycling ? pool.pop() : undefined).then((samples) => ({ top, rows, samples }));
    // If the caller stops early, bands still decoding settle unobserved: that is not an error.
    decoding.catch(() => undefined);
    pending.push(decoding);
  };
  for (let i = 0; i < inFlight; i++) startNext();
  while (pending.length > 0) {
    const band = await pending.shift()!;
    startNext();
    yield band;
    if (recycling) pool.push(bytesOfSamples(band.samples));
  }
}
