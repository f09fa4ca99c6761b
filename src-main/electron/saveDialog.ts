// Electron's save dialog for exports: the renderer asks `export.save`, main asks the user where
// (the renderer never names a path, so it cannot write anywhere it likes).
import { app, dialog, type BrowserWindow } from 'electron';
import { extname, join } from 'node:path';
import type { ChooseSavePath } from '../core/app/handlers/measurementHandlers';

const FILTER_NAMES: Record<string, string> = { '.csv': 'CSV', '.json': 'COCO JSON', '.geojson': 'GeoJSON', '.tif': 'TIFF label image' };

export function saveDialogChooser(window: () => BrowserWindow | null): ChooseSavePath {
  return async (suggestedName) => {
    const ext = extname(suggestedName);
    const options = {
      title: 'Export',
      defaultPath: join(app.getPath('documents'), suggestedName),
      filters: [{ name: FILTER_NAMES[ext] ?? 'Export', extensions: [ext.slice(1)] }],
    };
    const owner = window();
    const result = owner && !owner.isDestroyed() ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}
