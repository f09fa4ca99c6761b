// Accepted regions as QuPath-compatible GeoJSON: a FeatureCollection of annotation features,
// geometry traced from the mask along pixel edges (image pixel coordinates, as QuPath uses),
// classification { name, color: [r, g, b] }.
import type { AcceptedRegion } from '../review/acceptedRegions';
import { maskArea } from '../review/maskRegion';
import { traceMask } from './maskOutline';

function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)] : [255, 0, 0];
}

const close = (ring: Array<[number, number]>) => [...ring, ring[0] as [number, number]];

export function geoJsonOf(regions: readonly AcceptedRegion[]): object {
  const features = regions.flatMap((r) => {
    const polygons = traceMask(r.region).map((p) => [close(p.outer), ...p.holes.map(close)]);
    if (polygons.length === 0) return [];
    const geometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    return [
      {
        type: 'Feature',
        id: `${r.kind}-${r.id}`,
        geometry,
        properties: {
          objectType: 'annotation',
          classification: { name: r.className, color: rgb(r.color) },
          name: `${r.kind} ${r.id}`,
          measurements: { area_px: maskArea(r.region.mask), ...(r.score === null ? {} : { score: r.score }) },
        },
      },
    ];
  });
  return { type: 'FeatureCollection', features };
}
