// Objects of one image as QuPath-compatible GeoJSON: a FeatureCollection with one Feature per
// object, geometry traced from the mask along pixel edges (image pixel coordinates, as QuPath
// uses; the polygon covers exactly the mask's pixels), `objectType` 'annotation',
// `classification` { name, color: [r, g, b] }, and the measurements as QuPath reads them
// (`measurements`: name → number). Which object, decision and label it is go in `micra`.
import { round } from './exportCsv';
import { traceMask } from './maskOutline';
import type { ProjectObject } from './projectObjects';

function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)] : [255, 0, 0];
}

const close = (ring: Array<[number, number]>) => [...ring, ring[0] as [number, number]];

/** QuPath's measurement names (px, and µm when the pixel size is known). */
export function measurementsOf(o: ProjectObject): Record<string, number> {
  const m: Record<string, number> = {
    'Area px^2': o.pixel.areaPx,
    'Perimeter px': round(o.pixel.perimeterPx),
    'Equivalent diameter px': round(o.pixel.equivalentDiameterPx),
    'Centroid X px': round(o.pixel.centroidX),
    'Centroid Y px': round(o.pixel.centroidY),
  };
  if (o.physical) {
    m['Area µm^2'] = round(o.physical.areaUm2);
    m['Perimeter µm'] = round(o.physical.perimeterUm);
    m['Equivalent diameter µm'] = round(o.physical.equivalentDiameterUm);
    m['Centroid X µm'] = round(o.physical.centroidXUm);
    m['Centroid Y µm'] = round(o.physical.centroidYUm);
  }
  if (o.score !== null) m.Score = round(o.score);
  return m;
}

export function geoJsonOf(objects: readonly ProjectObject[], labels: ReadonlyMap<ProjectObject, number>): object {
  const features = objects.flatMap((o) => {
    const polygons = traceMask(o.region).map((p) => [close(p.outer), ...p.holes.map(close)]);
    if (polygons.length === 0) return [];
    const geometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    return [
      {
        type: 'Feature',
        id: `${o.kind}-${o.id}`,
        geometry,
        properties: {
          objectType: 'annotation',
          classification: { name: o.className, color: rgb(o.color) },
          name: `${o.kind} ${o.id}`,
          measurements: measurementsOf(o),
          micra: { imageId: o.image.id, kind: o.kind, id: o.id, label: labels.get(o) ?? null, decision: o.decision, decidedBy: o.decidedBy, decidedAt: o.decidedAt },
        },
      },
    ];
  });
  return { type: 'FeatureCollection', features };
}
