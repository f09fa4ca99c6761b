// Overlay layers drawn above the image, in image coordinates (the world container carries
// the zoom), so they stay pixel-accurate at every zoom. Vector layers (boxes, points) are
// redrawn when the zoom changes so their line width stays constant on screen.
// This is the API later features (review, sweep, annotation) draw through.
import { BufferImageSource, Container, Graphics, Sprite, Texture } from 'pixi.js';
import type { ImageRect } from './coords';

import type { OverlayStatus } from './overlayColors';
import { STATUS_COLORS } from './overlayColors';

export type { OverlayStatus };
export { STATUS_COLORS };

export interface OverlayBox {
  readonly id: string;
  readonly rect: ImageRect;
  readonly status: OverlayStatus;
  /** Overrides the status colour (e.g. the class colour), 0xRRGGBB. */
  readonly color?: number;
}

/** A point on image pixel (x, y) (column, row): drawn as a dot on the pixel's centre. */
export interface OverlayPoint {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly status: OverlayStatus;
  readonly color?: number;
}

/** A closed polygon; vertices are pixel-corner coordinates, like box edges. */
export interface OverlayPolygon {
  readonly id: string;
  readonly points: readonly (readonly [number, number])[];
  readonly status: OverlayStatus;
  readonly color?: number;
}

export interface VectorShapes {
  readonly boxes?: readonly OverlayBox[];
  readonly points?: readonly OverlayPoint[];
  readonly polygons?: readonly OverlayPolygon[];
}

/** What a drawing tool shows while the user drags or clicks: not stored anywhere yet. */
export type DraftShape =
  | { readonly kind: 'box'; readonly rect: ImageRect }
  | { readonly kind: 'polyline'; readonly points: readonly (readonly [number, number])[]; readonly closed: boolean };

/** RGBA texels covering an image rectangle (a mask or a score map). */
export interface RasterOverlay {
  readonly rect: ImageRect;
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
  /** Smooth (linear) sampling for score maps; masks keep hard pixel edges. */
  readonly smooth: boolean;
}

export type VectorLayerName = 'suggestions' | 'annotations';
export type LayerName = VectorLayerName | 'masks' | 'heatmap';
export const LAYER_NAMES: readonly LayerName[] = ['heatmap', 'masks', 'suggestions', 'annotations'];

/** A layer drawn outside this module, in image coordinates like the others. */
export interface ExtraLayer {
  readonly container: Container;
  /** The zoom (screen px per image px): line widths follow it to stay constant on screen. */
  setScale(scale: number): void;
}

interface VectorLayer {
  readonly graphics: Graphics;
  shapes: Required<VectorShapes>;
}

const EMPTY: Required<VectorShapes> = { boxes: [], points: [], polygons: [] };
/** Outline width, screen pixels, whatever the zoom. */
const LINE_PX = 2;
const POINT_RADIUS_PX = 5;
const DRAFT_COLOR = 0xfde047;

export class OverlayLayers {
  readonly container = new Container();
  private readonly heatmap = new Container();
  private readonly masks = new Container();
  private readonly draft = new Graphics();
  private readonly vectors: Record<VectorLayerName, VectorLayer>;
  private readonly maskSprites = new Map<string, Sprite>();
  private readonly extras = new Set<ExtraLayer>();
  private draftShape: DraftShape | null = null;
  private scale = 1;
  private destroyed = false;

  constructor(private readonly changed: () => void) {
    this.vectors = {
      suggestions: { graphics: new Graphics(), shapes: EMPTY },
      annotations: { graphics: new Graphics(), shapes: EMPTY },
    };
    this.container.addChild(this.heatmap, this.masks, this.vectors.suggestions.graphics, this.vectors.annotations.graphics, this.draft);
  }

  setVisible(layer: LayerName, visible: boolean): void {
    if (this.destroyed) return;
    this.layerContainer(layer).visible = visible;
    this.changed();
  }

  isVisible(layer: LayerName): boolean {
    return this.layerContainer(layer).visible;
  }

  /** Replaces every shape of a vector layer. */
  setShapes(layer: VectorLayerName, shapes: VectorShapes): void {
    if (this.destroyed) return;
    const v = this.vectors[layer];
    v.shapes = { boxes: shapes.boxes ?? [], points: shapes.points ?? [], polygons: shapes.polygons ?? [] };
    this.redraw(v);
    this.changed();
  }

  /** The in-progress shape of a drawing tool (null: none). */
  setDraft(shape: DraftShape | null): void {
    if (this.destroyed) return;
    this.draftShape = shape;
    this.redrawDraft();
    this.changed();
  }

  setMask(id: string, raster: RasterOverlay): void {
    if (this.destroyed) return;
    this.removeMask(id);
    const sprite = rasterSprite(raster);
    this.maskSprites.set(id, sprite);
    this.masks.addChild(sprite);
    this.changed();
  }

  removeMask(id: string): void {
    const s = this.maskSprites.get(id);
    if (!s) return;
    this.maskSprites.delete(id);
    s.destroy({ texture: true, textureSource: true });
    this.changed();
  }

  maskIds(): string[] {
    return [...this.maskSprites.keys()];
  }

  setHeatmap(raster: RasterOverlay | null): void {
    if (this.destroyed) return;
    for (const child of this.heatmap.removeChildren()) child.destroy({ texture: true, textureSource: true });
    if (raster) this.heatmap.addChild(rasterSprite(raster));
    this.changed();
  }

  /** Called by the viewer every frame with the current zoom. */
  setScale(scale: number): void {
    if (this.destroyed) return;
    if (scale === this.scale) return;
    this.scale = scale;
    for (const v of Object.values(this.vectors)) this.redraw(v);
    for (const x of this.extras) x.setScale(scale);
    this.redrawDraft();
  }

  /**
   * Adds a layer another module draws (annotation sets), above the built-in vector layers and
   * below the draft; it hears every zoom change and asks for a frame with `changed`. Returns
   * the removal. Its Pixi objects are freed with the overlays.
   */
  addExtra(layer: ExtraLayer): () => void {
    if (this.destroyed) return () => undefined;
    this.extras.add(layer);
    this.container.addChildAt(layer.container, this.container.getChildIndex(this.draft));
    layer.setScale(this.scale);
    this.changed();
    return () => {
      if (!this.extras.delete(layer) || this.destroyed) return;
      this.container.removeChild(layer.container);
      this.changed();
    };
  }

  /** Asks for a frame after an extra layer redrew. */
  extraChanged(): void {
    if (!this.destroyed) this.changed();
  }

  /**
   * Frees every overlay texture and Pixi object, once. Later calls are ignored: answers that
   * arrive after the viewer is gone (a mask fetched for a session that just ended) have
   * nowhere to be drawn.
   */
  destroy(): void {
    if (this.destroyed) return;
    this.clear();
    this.destroyed = true;
    this.container.destroy({ children: true });
  }

  clear(): void {
    for (const id of [...this.maskSprites.keys()]) this.removeMask(id);
    this.setHeatmap(null);
    this.setShapes('suggestions', EMPTY);
    this.setShapes('annotations', EMPTY);
    this.setDraft(null);
  }

  private layerContainer(layer: LayerName): Container {
    if (layer === 'masks') return this.masks;
    if (layer === 'heatmap') return this.heatmap;
    return this.vectors[layer].graphics;
  }

  private redraw(v: VectorLayer): void {
    const g = v.graphics;
    g.clear();
    const line = LINE_PX / this.scale;
    const { boxes, points, polygons } = v.shapes;
    for (const b of boxes) {
      g.rect(b.rect.x0, b.rect.y0, b.rect.x1 - b.rect.x0, b.rect.y1 - b.rect.y0).stroke({
        width: line,
        color: b.color ?? STATUS_COLORS[b.status],
        // Pixi v8: alignment 0 strokes outside a closed shape, 1 inside. Outside keeps every boxed
        // pixel visible, and the box's edge is exactly where the outline ends.
        alignment: 0,
      });
    }
    for (const p of polygons) {
      g.poly(p.points.flatMap(([x, y]) => [x, y]), true).stroke({ width: line, color: p.color ?? STATUS_COLORS[p.status], alignment: 0.5 });
    }
    const radius = POINT_RADIUS_PX / this.scale;
    for (const p of points) {
      g.circle(p.x + 0.5, p.y + 0.5, radius)
        .fill({ color: p.color ?? STATUS_COLORS[p.status], alpha: 0.9 })
        .stroke({ width: line / 2, color: p.status === 'selected' ? 0xffffff : 0x000000 });
    }
  }

  private redrawDraft(): void {
    const g = this.draft;
    g.clear();
    const d = this.draftShape;
    if (!d) return;
    const line = LINE_PX / this.scale;
    if (d.kind === 'box') {
      g.rect(d.rect.x0, d.rect.y0, d.rect.x1 - d.rect.x0, d.rect.y1 - d.rect.y0).stroke({ width: line, color: DRAFT_COLOR, alignment: 0 });
      return;
    }
    const first = d.points[0];
    if (!first) return;
    g.moveTo(first[0], first[1]);
    for (const [x, y] of d.points.slice(1)) g.lineTo(x, y);
    if (d.closed) g.closePath();
    g.stroke({ width: line, color: DRAFT_COLOR });
    for (const [x, y] of d.points) g.circle(x, y, 3 / this.scale).fill({ color: DRAFT_COLOR });
  }
}

function rasterSprite(r: RasterOverlay): Sprite {
  const source = new BufferImageSource({
    resource: r.rgba,
    width: r.width,
    height: r.height,
    format: 'rgba8unorm',
    alphaMode: 'premultiply-alpha-on-upload',
    scaleMode: r.smooth ? 'linear' : 'nearest',
  });
  const sprite = new Sprite(new Texture({ source }));
  sprite.position.set(r.rect.x0, r.rect.y0);
  sprite.width = r.rect.x1 - r.rect.x0;
  sprite.height = r.rect.y1 - r.rect.y0;
  return sprite;
}
