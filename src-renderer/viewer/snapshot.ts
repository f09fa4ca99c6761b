// Takes a snapshot for a figure: the view (or a region) rendered by the viewer with its visible
// overlays, at screen or full resolution, with a scale bar drawn into the picture, as a PNG.
// The geometry is snapshotLayout.ts's; the rendering the viewer's (renderRegion).
import type { ImageRect } from './coords';
import type { DeepZoomViewer } from './deepZoomViewer';
import type { SnapshotBarLayout, SnapshotResolution } from './snapshotLayout';
import { SNAPSHOT_MAX_SIDE, snapRect, snapshotFileName, snapshotScaleBar, snapshotSize, viewRect } from './snapshotLayout';

/** The key that snapshots the view, as the `?` list shows it. */
export const SNAPSHOT_KEY_LEGEND: readonly { keys: string; what: string }[] = [{ keys: 'C', what: 'snapshot the view as PNG (with scale bar and overlays)' }];

/** Whether a key event asks for a snapshot: C alone, outside text fields. */
export function isSnapshotKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean; target: EventTarget | null }): boolean {
  if (e.key.toLowerCase() !== 'c' || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return false;
  const t = e.target as { tagName?: string; isContentEditable?: boolean } | null;
  return !(t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable));
}

export interface Snapshot {
  readonly blob: Blob;
  readonly fileName: string;
  readonly width: number;
  readonly height: number;
  /** Output pixels per level-0 pixel. */
  readonly scale: number;
  /** A full-resolution snapshot was scaled down to fit the size caps. */
  readonly capped: boolean;
  /** The longest side a snapshot may have on this GPU. */
  readonly maxSide: number;
  readonly scaleBar: string | null;
}

/** `region` null: what the view shows. */
export async function takeSnapshot(viewer: DeepZoomViewer, imageName: string, region: ImageRect | null, resolution: SnapshotResolution): Promise<Snapshot> {
  const img = viewer.currentImage;
  if (!img) throw new Error('No image is shown.');
  const rect = region ? snapRect(region, img.width, img.height) : viewRect(viewer.viewport, img.width, img.height);
  if (!rect) throw new Error('The view shows no part of the image.');
  const maxSide = Math.min(SNAPSHOT_MAX_SIDE, viewer.maxTextureSize);
  const size = snapshotSize(rect, resolution, viewer.viewport, maxSide);
  const canvas = await viewer.renderRegion(rect, size.scale);
  const bar = snapshotScaleBar(canvas.width, canvas.height, img.pixelSizeNm, size.scale);
  if (bar) drawScaleBar(canvas, bar);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded (too large?).'))), 'image/png'),
  );
  return { blob, fileName: snapshotFileName(imageName, rect, resolution), width: canvas.width, height: canvas.height, scale: size.scale, capped: size.capped, maxSide, scaleBar: bar?.bar.label ?? null };
}

function drawScaleBar(canvas: HTMLCanvasElement, l: SnapshotBarLayout): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  g.font = `${l.fontPx}px system-ui, sans-serif`;
  g.textBaseline = 'top';
  const pad = l.barRect.x - l.panel.x;
  // The panel grows to the label when the label is wider than the bar.
  const panelWidth = Math.max(l.panel.width, Math.ceil(g.measureText(l.bar.label).width) + 2 * pad);
  g.fillStyle = 'rgba(0, 0, 0, 0.6)';
  g.fillRect(l.panel.x, l.panel.y, panelWidth, l.panel.height);
  g.fillStyle = '#ffffff';
  g.fillRect(l.barRect.x, l.barRect.y, l.barRect.width, l.barRect.height);
  g.fillText(l.bar.label, l.textX, l.textY);
}
