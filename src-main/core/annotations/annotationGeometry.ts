// Geometry of a manual annotation, as stored in its decisions' payload (level-0 image pixels).
import type { z } from 'zod';
import { AnnotationGeometrySchema } from '../../api/channels/annotationChannels';

export type AnnotationGeometry = z.output<typeof AnnotationGeometrySchema>;
export type AnnotationShape = AnnotationGeometry['shape'];

export function parseGeometry(payload: unknown): AnnotationGeometry {
  return AnnotationGeometrySchema.parse(payload);
}

/** Why a geometry does not fit its image, or null when it does. */
export function geometryOutsideImage(g: AnnotationGeometry, width: number, height: number): string | null {
  switch (g.shape) {
    case 'point':
      return g.x < width && g.y < height ? null : `point (${g.x}, ${g.y}) is outside the ${width}×${height} image`;
    case 'box': {
      const [x, y, w, h] = g.box;
      return x + w <= width && y + h <= height ? null : `box [${g.box.join(', ')}] extends past the ${width}×${height} image`;
    }
    case 'polygon':
      return g.points.every(([x, y]) => x <= width && y <= height) ? null : `a polygon vertex lies outside the ${width}×${height} image`;
  }
}
