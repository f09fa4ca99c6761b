// Annotation sets drawn over the image, one Pixi Graphics per set in the set's colour: points
// as small circles, polygons as closed outlines (holes too), lines as open polylines. Geometry
// is level-0 image pixels (GeoJSON from QuPath or a marker CSV), so a point (x, y) is drawn
// where it is, not on a pixel centre. Line widths and radii are in screen pixels, redrawn
// when the zoom changes, like the built-in vector layers (overlays.ts).
import { Container, Graphics } from 'pixi.js';
import type { OverlayLayers } from './overlays';

import type { Position, SetGeometry } from '../../src-shared/setGeometry';

/** A set entry's geometry as the API gives it (GeoJSON). */
export type SetShape = SetGeometry;

const LINE_PX = 2;
const POINT_RADIUS_PX = 4;

/** Distinct colours for sets, in the order they are listed (0xRRGGBB). */
export const SET_COLORS: readonly number[] = [0xf472b6, 0x34d399, 0xa78bfa, 0xfacc15, 0x60a5fa, 0xfb923c, 0x2dd4bf, 0xe879f9];

export function setColor(index: number): number {
  return SET_COLORS[index % SET_COLORS.length] as number;
}

interface DrawnSet {
  readonly graphics: Graphics;
  shapes: readonly SetShape[];
  color: number;
}

const flat = (ps: readonly Position[]): number[] => ps.flatMap((p) => [p[0] as number, p[1] as number]);

export class SetLayers {
  readonly container = new Container();
  private readonly sets = new Map<string, DrawnSet>();
  private scale = 1;
  private dead = false;
  private readonly detach: () => void;

  constructor(private readonly overlays: OverlayLayers) {
    this.detach = overlays.addExtra(this);
  }

  /** Replaces the shapes of one set (added when new). */
  setShapes(name: string, shapes: readonly SetShape[], color: number): void {
    if (this.dead) return;
    let s = this.sets.get(name);
    if (!s) {
      s = { graphics: new Graphics(), shapes, color };
      this.sets.set(name, s);
      this.container.addChild(s.graphics);
    }
    s.shapes = shapes;
    s.color = color;
    this.draw(s);
    this.overlays.extraChanged();
  }

  setVisible(name: string, visible: boolean): void {
    const s = this.dead ? undefined : this.sets.get(name);
    if (!s) return;
    s.graphics.visible = visible;
    this.overlays.extraChanged();
  }

  /** Shapes drawn per set (visible or not): what tests read. */
  counts(): Record<string, { shapes: number; visible: boolean }> {
    return Object.fromEntries([...this.sets].map(([name, s]) => [name, { shapes: s.shapes.length, visible: s.graphics.visible }]));
  }

  /** Drops every set (another image is shown). */
  clear(): void {
    if (this.dead) return;
    for (const s of this.sets.values()) s.graphics.destroy();
    this.sets.clear();
    this.overlays.extraChanged();
  }

  setScale(scale: number): void {
    if (this.dead) return;
    this.scale = scale;
    for (const s of this.sets.values()) this.draw(s);
  }

  /** Frees the layer once (the viewer's end and the panel's may both ask). */
  destroy(): void {
    if (this.dead) return;
    this.dead = true;
    this.detach();
    this.container.destroy({ children: true });
    this.sets.clear();
  }

  private draw(s: DrawnSet): void {
    const g = s.graphics;
    g.clear();
    const line = LINE_PX / this.scale;
    const radius = POINT_RADIUS_PX / this.scale;
    const stroke = { width: line, color: s.color, alignment: 0.5 };
    const point = (p: Position) => g.circle(p[0] as number, p[1] as number, radius).fill({ color: s.color, alpha: 0.85 }).stroke({ width: line / 2, color: 0x000000 });
    const rings = (rs: readonly (readonly Position[])[]) => {
      for (const r of rs) g.poly(flat(r), true).stroke(stroke);
    };
    for (const shape of s.shapes) {
      switch (shape.type) {
        case 'Point':
          point(shape.coordinates);
          break;
        case 'MultiPoint':
          shape.coordinates.forEach(point);
          break;
        case 'LineString':
          g.poly(flat(shape.coordinates), false).stroke(stroke);
          break;
        case 'Polygon':
          rings(shape.coordinates);
          break;
        case 'MultiPolygon':
          shape.coordinates.forEach(rings);
          break;
      }
    }
  }
}
