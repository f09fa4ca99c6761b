// The deep-zoom viewer: a Pixi v8 scene of tile meshes driven by the pure modules (viewport
// math, LOD, tile plan, loader, LRU). It renders on demand (one frame per change, via
// requestAnimationFrame) rather than continuously, so an idle viewer costs nothing.
import 'pixi.js/unsafe-eval'; // keeps Pixi's shader code generation eval-free under our CSP
import { Application, Container, RenderTexture } from 'pixi.js';
import type { WebGLRenderer } from 'pixi.js';
import type { DisplaySettings } from './contrast';
import { shaderWindow } from './contrast';
import type { ImagePoint, ImageRect, ScreenPoint, Viewport } from './coords';
import { fitViewport, imagePoint, panBy, scaleLimits, screenOrigin, screenPoint, screenToImage, visibleImageRect, zoomAround } from './coords';
import { frameForArrival, progressiveDelay } from './arrivalFrames';
import { selectLevel } from './lod';
import { FrameStats } from './frameStats';
import type { TileKey, TilePriority } from '../api/tileSource';
import { parentTile, tileImageRect, tileKeyString, tileSizeAt, tilesCovering } from './tileGrid';
import { TileGpu } from './tileGpu';
import { TileLoader } from './tileLoader';
import { tileTexels } from './tilePixels';
import type { TilePlan, ZoomDirection } from './tilePriority';
import { planTiles } from './tilePriority';
import { ByteBudgetLru } from './textureCache';
import { createDisplayUniforms, setDisplayUniforms } from './tileShader';
import type { DisplayUniforms } from './tileShader';
import { OverlayLayers } from './overlays';
import type { ImageGeometry } from '../../src-shared/imageGeometry';

/** An image as the viewer shows it: its geometry, its levels' sizes (levelSizesOf) and its pixel size. */
export type ViewerImage = ImageGeometry & {
  readonly levelSizes: readonly (readonly [number, number])[];
  readonly pixelSizeNm: number | null;
};

/** `priority`: 'high' for what the view shows now, 'low' for prefetch (a fetch priority hint). */
export type FetchImageTile = (imageId: number, tile: TileKey, signal: AbortSignal, priority: TilePriority) => Promise<ArrayBuffer | null>;

/** A view of this canvas by its centre and scale (where to go, or what to load ahead). */
export interface ViewTarget {
  readonly centerX: number;
  readonly centerY: number;
  /** Screen pixels per level-0 pixel. */
  readonly scale: number;
}

export interface ViewerOptions {
  readonly fetchTile: FetchImageTile;
  /** GPU texture memory the tile cache may hold. */
  readonly textureBudgetBytes?: number;
  /** Tile requests in flight at once (default 6: a browser's HTTP connections per host). */
  readonly maxConcurrentFetches?: number;
  /** Of those, most for prefetch (default: two fewer than maxConcurrentFetches). */
  readonly maxAheadFetches?: number;
  /**
   * false: always draw level 0 (no level of detail) — the benchmark's baseline, switched on
   * by the page URL's `?lod=off`. Never for users: zoomed out it fetches the whole image.
   */
  readonly lod?: boolean;
}

export interface ViewerState {
  imageId: number | null;
  level: number;
  /** Screen (CSS) pixels per level-0 image pixel. */
  scale: number;
  centerX: number;
  centerY: number;
  /** Screen position of image pixel (0, 0)'s corner, CSS pixels. */
  originX: number;
  originY: number;
  width: number;
  height: number;
  /** Visible tiles of the chosen level not on screen yet (plus one while a frame is due). */
  pendingTiles: number;
  liveTextures: number;
  /** Textures the WebGL renderer holds (tiles, overlays and Pixi's own): a leak shows here. */
  gpuTextures: number;
  textureBytes: number;
  textureBudgetBytes: number;
}

export interface ViewSnapshot {
  readonly viewport: Viewport;
  readonly level: number;
  readonly image: ViewerImage | null;
  readonly cursor: ImagePoint | null;
}

const DEFAULT_BUDGET = 256 * 1024 * 1024;

export class DeepZoomViewer {
  private readonly world = new Container();
  private readonly tileLayer = new Container();
  readonly overlays: OverlayLayers;
  private readonly cache: ByteBudgetLru<TileGpu>;
  private readonly display: DisplayUniforms = createDisplayUniforms();
  private image: ViewerImage | null = null;
  private loader: TileLoader | null = null;
  private vp: Viewport;
  private level = 0;
  private lastZoom: ZoomDirection | null = null;
  private frameRequested = false;
  private cursor: ScreenPoint | null = null;
  private visibleMissing = 0;
  private readonly listeners = new Set<(s: ViewSnapshot) => void>();
  private readonly destroyListeners = new Set<() => void>();
  private animation: number | null = null;
  private prefetchViews: readonly ViewTarget[] = [];
  /** The last tile plan and what it was made for (plans are reused until the view changes). */
  private plan: { vp: Viewport; level: number; zoom: ZoomDirection | null; plan: TilePlan } | null = null;
  private tilesRequested = false;
  /** A frame promised to tiles that arrived while others of the view are still on their way. */
  private arrivalTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFrameAt = -Infinity;
  private readonly floatLinear: boolean;
  readonly frames = new FrameStats(2000);
  private destroyed = false;

  private constructor(
    private readonly app: Application,
    private readonly options: ViewerOptions,
    width: number,
    height: number,
  ) {
    this.cache = new ByteBudgetLru<TileGpu>(options.textureBudgetBytes ?? DEFAULT_BUDGET);
    this.vp = { center: imagePoint(0, 0), scale: 1, width, height, pixelRatio: app.renderer.resolution };
    this.world.addChild(this.tileLayer);
    this.overlays = new OverlayLayers(() => this.requestFrame());
    this.world.addChild(this.overlays.container);
    app.stage.addChild(this.world);
    const renderer = app.renderer as WebGLRenderer;
    // Tile rows are tightly packed (an edge tile can be 277 px wide): no 4-byte row padding.
    renderer.gl.pixelStorei(renderer.gl.UNPACK_ALIGNMENT, 1);
    this.floatLinear = Boolean(renderer.context.extensions.floatTextureLinear);
  }

  static async create(canvas: HTMLCanvasElement, width: number, height: number, options: ViewerOptions): Promise<DeepZoomViewer> {
    const app = new Application();
    await app.init({
      canvas,
      width,
      height,
      preference: 'webgl',
      preferWebGLVersion: 2,
      antialias: false,
      // Screenshots and e2e pixel checks read the canvas after the frame was presented.
      preserveDrawingBuffer: true,
      background: '#1b1d21',
      resolution: window.devicePixelRatio || 1,
      autoDensity: true,
      autoStart: false,
      sharedTicker: false,
    });
    app.ticker.stop();
    return new DeepZoomViewer(app, options, width, height);
  }

  get viewport(): Viewport {
    return this.vp;
  }

  get currentImage(): ViewerImage | null {
    return this.image;
  }

  onChange(listener: (s: ViewSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `listener` when the viewer is destroyed, before any of its Pixi objects is freed: what
   * draws on the viewer (a review session, say) ends there, while its overlays still exist. The
   * component that draws may be torn down after the one that owns the viewer (Svelte destroys a
   * child component before its parent's effects), so it cannot rely on its own teardown order.
   */
  onDestroy(listener: () => void): () => void {
    if (this.destroyed) {
      listener();
      return () => undefined;
    }
    this.destroyListeners.add(listener);
    return () => this.destroyListeners.delete(listener);
  }

  /** Shows another image (or none): drops the previous image's textures and requests. */
  setImage(image: ViewerImage | null, display: DisplaySettings): void {
    if (this.image?.id === image?.id && image !== null) {
      this.image = image;
      this.setDisplay(display);
      return;
    }
    this.loader?.dispose();
    this.loader = null;
    this.tileLayer.removeChildren();
    this.cache.clear();
    this.overlays.clear();
    this.prefetchViews = [];
    this.plan = null;
    this.image = image;
    if (image) {
      this.loader = new TileLoader({
        fetchTile: (tile, signal, priority) => this.options.fetchTile(image.id, tile, signal, priority),
        maxConcurrent: this.options.maxConcurrentFetches ?? 6,
        ...(this.options.maxAheadFetches !== undefined ? { maxAhead: this.options.maxAheadFetches } : {}),
        onLoaded: (tile, bytes) => this.tileArrived(image, tile, bytes),
        onError: (tile, error) => console.warn(`tile ${tileKeyString(tile)} of image ${image.id}:`, error),
      });
      this.vp = fitViewport(image.width, image.height, this.vp.width, this.vp.height, this.vp.pixelRatio);
      this.setDisplay(display);
      this.requestTiles();
    }
    this.requestFrame();
  }

  setDisplay(d: DisplaySettings): void {
    const image = this.image;
    if (!image) return;
    const { low, high } = shaderWindow(d, image.bitsPerSample);
    setDisplayUniforms(this.display, {
      uLow: low,
      uHigh: high,
      uGamma: d.gamma,
      uInvert: d.invert ? 1 : 0,
      uRgb: image.channels === 3 ? 1 : 0,
    });
    this.requestFrame();
  }

  /** The pyramid grew (import finished a level): retry tiles that were missing. */
  refreshTiles(): void {
    this.loader?.forgetMissing();
    this.requestTiles();
    this.requestFrame();
  }

  /**
   * Views whose tiles to load at low priority, after the current view's (e.g. the next review
   * items), so that going there draws from the texture cache. Replaces the previous list.
   */
  setPrefetchViews(views: readonly ViewTarget[]): void {
    this.prefetchViews = views;
    this.requestTiles();
  }

  resize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    if (width === this.vp.width && height === this.vp.height) return;
    this.app.renderer.resize(width, height);
    this.vp = { ...this.vp, width, height };
    this.requestTiles();
    this.requestFrame();
  }

  setViewport(next: Viewport): void {
    this.stopAnimation();
    this.applyViewport(next);
  }

  setView(centerX: number, centerY: number, scale: number): void {
    this.setViewport({ ...this.vp, center: imagePoint(centerX, centerY), scale: this.clampScale(scale) });
  }

  fit(): void {
    if (!this.image) return;
    this.setViewport(fitViewport(this.image.width, this.image.height, this.vp.width, this.vp.height, this.vp.pixelRatio));
  }

  zoomBy(factor: number, anchor: ScreenPoint = screenPoint(this.vp.width / 2, this.vp.height / 2)): void {
    if (!this.image) return;
    this.lastZoom = factor >= 1 ? 'in' : 'out';
    this.setViewport(zoomAround(this.vp, anchor, factor, this.limits()));
  }

  panBy(dx: number, dy: number): void {
    this.setViewport(panBy(this.vp, dx, dy));
  }

  /** Animated move to `center` at `scale` (zooms out a little mid-flight on long jumps). */
  flyTo(center: ImagePoint, scale: number, durationMs = 450): void {
    this.stopAnimation();
    const from = this.vp;
    const to = { ...from, center, scale: this.clampScale(scale) };
    this.lastZoom = to.scale >= from.scale ? 'in' : 'out';
    const start = performance.now();
    const step = (now: number): void => {
      const t = Math.min(1, (now - start) / durationMs);
      const e = t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2; // ease in-out
      // Interpolating log(scale) makes the zoom feel uniform.
      const s = Math.exp(Math.log(from.scale) + (Math.log(to.scale) - Math.log(from.scale)) * e);
      const c = imagePoint(from.center.x + (to.center.x - from.center.x) * e, from.center.y + (to.center.y - from.center.y) * e);
      this.applyViewport({ ...this.vp, center: c, scale: s });
      this.animation = t < 1 ? requestAnimationFrame(step) : null;
    };
    this.animation = requestAnimationFrame(step);
  }

  /** Flies so that an image rectangle fills most of the view. */
  flyToRect(x0: number, y0: number, x1: number, y1: number, durationMs?: number): void {
    const scale = 0.8 * Math.min(this.vp.width / Math.max(1, x1 - x0), this.vp.height / Math.max(1, y1 - y0));
    this.flyTo(imagePoint((x0 + x1) / 2, (y0 + y1) / 2), scale, durationMs);
  }

  setCursor(p: ScreenPoint | null): void {
    this.cursor = p;
    this.notify();
  }

  imageAt(p: ScreenPoint): ImagePoint {
    return screenToImage(this.vp, p);
  }

  getState(): ViewerState {
    const o = screenOrigin(this.vp);
    return {
      imageId: this.image?.id ?? null,
      level: this.level,
      scale: this.vp.scale,
      centerX: this.vp.center.x,
      centerY: this.vp.center.y,
      originX: o.x,
      originY: o.y,
      width: this.vp.width,
      height: this.vp.height,
      pendingTiles: this.visibleMissing + (this.frameRequested ? 1 : 0),
      liveTextures: this.cache.size,
      // Pixi leaves a null in its hash for each texture it has freed: count the live ones.
      gpuTextures: (this.app.renderer as WebGLRenderer).texture.managedTextures.filter(Boolean).length,
      textureBytes: this.cache.bytes,
      textureBudgetBytes: this.cache.budget,
    };
  }

  /**
   * Draws an image rectangle (level-0 pixels) at `scale` output pixels per image pixel into a
   * new canvas, with the overlays as they are shown (the snapshot): the level the scale calls
   * for, its tiles taken from the texture cache or fetched, the same shader and display
   * settings, outlines at their on-screen width. The screen is not touched: the scene is
   * rendered into a texture in one synchronous step, then the next frame restores it.
   */
  async renderRegion(rect: ImageRect, scale: number): Promise<HTMLCanvasElement> {
    const image = this.image;
    if (!image || this.destroyed) throw new Error('no image is shown');
    const width = Math.max(1, Math.floor((rect.x1 - rect.x0) * scale));
    const height = Math.max(1, Math.floor((rect.y1 - rect.y0) * scale));
    const level = this.options.lod === false ? 0 : selectLevel(scale, image.levelSizes.length);
    const size = image.levelSizes[level];
    if (!size) throw new Error(`level ${level} is missing`);
    const tiles = tilesCovering(rect, level, size, image.tileSize);
    const drawn: { tile: TileKey; gpu: TileGpu }[] = [];
    // Six fetches at once, as the viewer's own loader; tiles missing on the server stay empty.
    // Its own textures, not the cache's: the cache may evict (destroy) one while others load.
    let next = 0;
    let failure: unknown = null;
    const worker = async (): Promise<void> => {
      while (next < tiles.length && failure === null) {
        const t = tiles[next++] as TileKey;
        try {
          const bytes = await this.options.fetchTile(image.id, t, new AbortController().signal, 'high');
          if (!bytes || this.destroyed || this.image?.id !== image.id) continue;
          const [tw, th] = tileSizeAt(t, size, image.tileSize);
          const texels = tileTexels(bytes, { width: tw, height: th, bitsPerSample: image.bitsPerSample, channels: image.channels });
          drawn.push({ tile: t, gpu: new TileGpu(texels, this.display, this.floatLinear || texels.format !== 'r32float') });
        } catch (e) {
          // A figure with a hole in it is worse than none: the snapshot fails.
          failure ??= e;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(6, tiles.length) }, () => worker()));
      if (failure !== null) throw failure instanceof Error ? failure : new Error(String(failure));
      if (this.destroyed || this.image?.id !== image.id) throw new Error('the image changed while the snapshot was taken');
      const magnification = scale * 2 ** level;
      this.tileLayer.removeChildren();
      for (const { tile, gpu } of drawn) {
        const r = tileImageRect(tile, size, image.tileSize);
        gpu.mesh.position.set(r.x0, r.y0);
        gpu.mesh.scale.set(r.x1 - r.x0, r.y1 - r.y0);
        gpu.setFiltering(magnification >= 1 - 1e-9 ? 'nearest' : 'linear');
        this.tileLayer.addChild(gpu.mesh);
      }
      this.world.position.set(-rect.x0 * scale, -rect.y0 * scale);
      this.world.scale.set(scale);
      this.overlays.setScale(scale);
      const target = RenderTexture.create({ width, height, resolution: 1 });
      try {
        this.app.renderer.render({ container: this.app.stage, target, clear: true, clearColor: [0, 0, 0, 1] });
        return this.app.renderer.extract.canvas(target) as HTMLCanvasElement;
      } finally {
        target.destroy(true);
      }
    } finally {
      // The next frame puts the view back (world transform, tiles, outline widths).
      this.tileLayer.removeChildren();
      for (const { gpu } of drawn) gpu.destroy();
      this.requestFrame();
    }
  }

  /** The largest texture (and so snapshot side) this GPU renders to. */
  get maxTextureSize(): number {
    const gl = (this.app.renderer as WebGLRenderer).gl;
    return Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)) || 4096;
  }

  /** Fetch counters of the current image's loader (for benchmarks). */
  loaderStats(): { started: number; completed: number; aborted: number; missing: number; failed: number } {
    return { ...(this.loader?.stats ?? { started: 0, completed: 0, aborted: 0, missing: 0, failed: 0 }) };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    // Those drawing on the viewer detach first, while every overlay still exists.
    const ending = [...this.destroyListeners];
    this.destroyListeners.clear();
    for (const l of ending) l();
    this.stopAnimation();
    this.cancelArrivalFrame();
    this.loader?.dispose();
    this.loader = null;
    this.tileLayer.removeChildren();
    // Each owner frees its own objects once: the cache its tiles, the overlays their textures;
    // the stage then holds only containers of its own.
    this.cache.clear();
    this.overlays.destroy();
    this.listeners.clear();
    this.app.destroy(false, { children: true });
  }

  private limits(): { min: number; max: number } {
    const img = this.image;
    return img ? scaleLimits(img.width, img.height, this.vp.width, this.vp.height) : { min: 1e-3, max: 64 };
  }

  private clampScale(s: number): number {
    const l = this.limits();
    return Math.min(l.max, Math.max(l.min, s));
  }

  private applyViewport(next: Viewport): void {
    if (next.scale !== this.vp.scale && this.animation === null) this.lastZoom = next.scale > this.vp.scale ? 'in' : 'out';
    this.vp = next;
    this.requestTiles();
    this.requestFrame();
  }

  /**
   * Hands the loader a new wish list, whenever it can have changed: the view, the image, the
   * prefetch views, the pyramid, or a texture evicted to hold the budget. Not in the frame:
   * under load a frame can be tens of milliseconds away, and the fetches are what takes
   * longest. Coalesced per task, so a burst of pointer events makes one list.
   */
  private requestTiles(): void {
    if (this.tilesRequested || this.destroyed) return;
    this.tilesRequested = true;
    queueMicrotask(() => {
      this.tilesRequested = false;
      if (!this.destroyed) this.wantTiles();
    });
  }

  private currentPlan(image: ViewerImage): TilePlan {
    const level = this.options.lod === false ? 0 : selectLevel(this.vp.scale, image.levelSizes.length);
    const p = this.plan;
    if (p && p.vp === this.vp && p.level === level && p.zoom === this.lastZoom) return p.plan;
    const plan = planTiles(this.vp, level, image, this.lastZoom);
    this.plan = { vp: this.vp, level, zoom: this.lastZoom, plan };
    return plan;
  }

  /** Hands the loader the current view's tiles, then the prefetch (zoom ahead, prefetch views). */
  private wantTiles(): void {
    const image = this.image;
    if (!image || !this.loader) return;
    const plan = this.currentPlan(image);
    const notCached = (t: TileKey): boolean => !this.cache.has(this.cacheKey(image.id, t));
    const ahead: TileKey[] = [];
    // The prefetch views first: they are where the user goes next, the zoom level ahead a guess.
    for (const v of this.prefetchViews) {
      const vp: Viewport = { ...this.vp, center: imagePoint(v.centerX, v.centerY), scale: this.clampScale(v.scale) };
      const level = this.options.lod === false ? 0 : selectLevel(vp.scale, image.levelSizes.length);
      ahead.push(...planTiles(vp, level, image, null).urgent);
    }
    ahead.push(...plan.ahead);
    this.loader.want(plan.urgent.filter(notCached), ahead.filter(notCached));
  }

  private cancelArrivalFrame(): void {
    if (this.arrivalTimer !== null) clearTimeout(this.arrivalTimer);
    this.arrivalTimer = null;
  }

  private stopAnimation(): void {
    if (this.animation !== null) cancelAnimationFrame(this.animation);
    this.animation = null;
  }

  private requestFrame(): void {
    if (this.frameRequested || this.destroyed) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.frame());
  }

  private frame(): void {
    this.frameRequested = false;
    if (this.destroyed) return;
    this.cancelArrivalFrame();
    const t0 = performance.now();
    this.lastFrameAt = t0;
    this.updateScene();
    this.app.renderer.render(this.app.stage);
    this.frames.add(performance.now() - t0);
    this.notify();
  }

  private notify(): void {
    const snap: ViewSnapshot = {
      viewport: this.vp,
      level: this.level,
      image: this.image,
      cursor: this.cursor ? screenToImage(this.vp, this.cursor) : null,
    };
    for (const l of this.listeners) l(snap);
  }

  private cacheKey(imageId: number, t: TileKey): string {
    return `${imageId}:${tileKeyString(t)}`;
  }

  private tileArrived(image: ViewerImage, tile: TileKey, bytes: ArrayBuffer): void {
    if (this.image?.id !== image.id || this.destroyed) return;
    const size = image.levelSizes[tile.level];
    if (!size) return;
    const [width, height] = tileSizeAt(tile, size, image.tileSize);
    try {
      const texels = tileTexels(bytes, { width, height, bitsPerSample: image.bitsPerSample, channels: image.channels });
      const gpu = new TileGpu(texels, this.display, this.floatLinear || texels.format !== 'r32float');
      const before = this.cache.size;
      this.cache.set(this.cacheKey(image.id, tile), gpu, texels.bytes);
      // The cache did not grow: a texture was evicted, and the view may need it back.
      if (this.cache.size <= before) this.requestTiles();
    } catch (e) {
      console.warn(`tile ${tileKeyString(tile)} of image ${image.id} rejected:`, e);
    }
    this.frameAfterArrival(image, tile);
  }

  /** A tile the view waits for: not in the cache, and not known to be missing on the server. */
  private awaited(image: ViewerImage, t: TileKey): boolean {
    return !this.cache.has(this.cacheKey(image.id, t)) && !(this.loader?.isMissing(t) ?? true);
  }

  private frameAfterArrival(image: ViewerImage, tile: TileKey): void {
    const plan = this.currentPlan(image);
    const size = image.levelSizes[tile.level];
    if (!size || !this.loader) return;
    const stillMissing = plan.visible.filter((t) => this.awaited(image, t)).length;
    const when = frameForArrival(tile, {
      level: this.plan?.level ?? 0,
      view: visibleImageRect(this.vp),
      tileRect: tileImageRect(tile, size, image.tileSize),
      stillMissing,
    });
    if (when === 'now') this.requestFrame();
    else if (when === 'soon' && this.arrivalTimer === null) {
      this.arrivalTimer = setTimeout(() => {
        this.arrivalTimer = null;
        this.requestFrame();
      }, progressiveDelay(this.lastFrameAt, performance.now()));
    }
  }

  private updateScene(): void {
    const image = this.image;
    const o = screenOrigin(this.vp);
    this.world.position.set(o.x, o.y);
    this.world.scale.set(this.vp.scale);
    this.overlays.setScale(this.vp.scale);
    this.tileLayer.removeChildren();
    if (!image || !this.loader) {
      this.visibleMissing = 0;
      return;
    }
    const top = image.levelSizes.length - 1;
    const plan = this.currentPlan(image);
    this.level = this.plan?.level ?? 0;

    // Coarser stand-ins first (drawn underneath), then the tiles of the chosen level.
    const fallbacks = new Map<string, TileKey>();
    const exact: TileKey[] = [];
    let missing = 0;
    for (const t of plan.visible) {
      if (this.cache.get(this.cacheKey(image.id, t))) {
        exact.push(t);
        continue;
      }
      if (this.awaited(image, t)) missing++;
      for (let up = 1; t.level + up <= top; up++) {
        const p = parentTile(t, up);
        const k = this.cacheKey(image.id, p);
        if (this.cache.get(k)) {
          fallbacks.set(k, p);
          break;
        }
      }
    }
    this.visibleMissing = missing;
    const ordered = [...fallbacks.values()].sort((a, b) => b.level - a.level).concat(exact);
    for (const t of ordered) {
      const gpu = this.cache.peek(this.cacheKey(image.id, t));
      const size = image.levelSizes[t.level];
      if (!gpu || !size) continue;
      const r = tileImageRect(t, size, image.tileSize);
      gpu.mesh.position.set(r.x0, r.y0);
      gpu.mesh.scale.set(r.x1 - r.x0, r.y1 - r.y0);
      // Screen pixels per texel of this tile: ≥ 1 means magnified → nearest keeps pixels exact.
      const magnification = this.vp.scale * 2 ** t.level;
      gpu.setFiltering(magnification >= 1 - 1e-9 ? 'nearest' : 'linear');
      this.tileLayer.addChild(gpu.mesh);
    }
  }
}

