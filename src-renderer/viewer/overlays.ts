// Overlay layers drawn above the image, in image coordinates (the world container carries
// the zoom), so they stay pixel-accurate at every zoom. Vector layers (boxes, points) are
// redrawn when the zoom changes so their line width stays constant on screen.
// This is the API later features (review, sweep, annotation) draw through.
import { BufferImageSource, Container, Graphics, Sprite, Texture } from 'pixi.js';
import type { ImageRect } from './coords';

export type OverlayStatus = 'suggested' | 'accepted' | 'declined' | 'manual' | 'selected';

export const STATUS_COLORS: Record<OverlayStatus, number> = {
  suggested: 0xffb000,
  accepted: 0x22c55e,
  declined: 0xef4444,
  manual: 0x38bdf8,
  selected: 0xffffff,
};

export interface OverlayBox {
  readonly id: string;
  readonly rect: ImageRect;
  readonly status: OverlayStatus;
}

export interface OverlayPoint {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly status: OverlayStatus;
}

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

interface VectorLayer {
  readonly graphics: Graphics;
  boxes: readonly OverlayBox[];
  points: readonly OverlayPoint[];
}

export class OverlayLayers {
  readonly container = new Container();
  private readonly heatmap = new Container();
  private readonly masks = new Container();
  private readonly vectors: Record<VectorLayerName, VectorLayer>;
  private readonly maskSprites = new Map<string, Sprite>();
  private scale = 1;

  constructor(private readonly changed: () => void) {
    this.vectors = {
      suggestions: { graphics: new Graphics(), boxes: [], points: [] },
      annotations: { graphics: new Graphics(), boxes: [], points: [] },
    };
    this.container.addChild(this.heatmap, this.masks, this.vectors.suggestions.graphics, this.vectors.annotations.graphics);
  }

  setVisible(layer: LayerName, visible: boolean): void {
    this.layerContainer(layer).visible = visible;
    this.changed();
  }

  isVisible(layer: LayerName): boolean {
    return this.layerContainer(layer).visible;
  }

  setShapes(layer: VectorLayerName, boxes: readonly OverlayBox[], points: readonly OverlayPoint[] = []): void {
    const v = this.vectors[layer];
    v.boxes = boxes;
    v.points = points;
    this.redraw(v);
    this.changed();
  }

  setMask(id: string, raster: RasterOverlay): void {
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

  setHeatmap(raster: RasterOverlay | null): void {
    for (const child of this.heatmap.removeChildren()) child.destroy({ texture: true, textureSource: true });
    if (raster) this.heatmap.addChild(rasterSprite(raster));
    this.changed();
  }

  /** Called by the viewer every frame with the current zoom. */
  setScale(scale: number): void {
    if (scale === this.scale) return;
    this.scale = scale;
    for (const v of Object.values(this.vectors)) if (v.boxes.length || v.points.length) this.redraw(v);
  }

  clear(): void {
    for (const id of [...this.maskSprites.keys()]) this.removeMask(id);
    this.setHeatmap(null);
    this.setShapes('suggestions', []);
    this.setShapes('annotations', []);
  }

  private layerContainer(layer: LayerName): Container {
    if (layer === 'masks') return this.masks;
    if (layer === 'heatmap') return this.heatmap;
    return this.vectors[layer].graphics;
  }

  private redraw(v: VectorLayer): void {
    const g = v.graphics;
    g.clear();
    const line = 2 / this.scale; // 2 screen pixels whatever the zoom
    for (const b of v.boxes) {
      g.rect(b.rect.x0, b.rect.y0, b.rect.x1 - b.rect.x0, b.rect.y1 - b.rect.y0).stroke({
        width: line,
        color: STATUS_COLORS[b.status],
        alignment: 1, // outside the box: the boxed pixels stay visible
      });
    }
    const radius = 5 / this.scale;
    for (const p of v.points) {
      g.circle(p.x, p.y, radius).fill({ color: STATUS_COLORS[p.status], alpha: 0.9 }).stroke({ width: line / 2, color: 0x000000 });
    }
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
