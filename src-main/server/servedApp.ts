// What serve mode needs from the application: the same handlers, tile reader and events
// that Electron wires to IPC, plus what only a browser needs: receiving file bytes, and the open
// project for export downloads.
import type { Readable } from 'node:stream';
import type { RequestResult } from '../api/types';
import type { AppContext } from '../core/app/appContext';
import type { AppEvents } from '../core/app/appEvents';
import type { ImportChoices } from '../core/app/importService';
import type { RequestHandlers } from '../core/app/requestDispatcher';
import type { TileReader } from '../core/app/tileHandler';

export interface ServedApp extends Pick<AppContext, 'requireProject' | 'requireImage'> {
  readonly handlers: RequestHandlers;
  /** Tiles and thumbnails by address (one request each, or streamed in tile batches). */
  readonly readTile: TileReader;
  readonly events: AppEvents;
  /** Stores the streamed bytes of a dropped file and imports them like a local path (one outcome per page). */
  importUpload(originalName: string, body: Readable, choices: ImportChoices): Promise<RequestResult<'images.importPaths'>>;
}
