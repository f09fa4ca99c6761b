// The MicraApi: the one interface through which the renderer knows the application.
// Both transports (Electron IPC via the preload, serve mode via WebSocket) implement it.
import type { z } from 'zod';
import type {
  AppInfoSchema,
  eventSchemas,
  ImageSummarySchema,
  ImportOutcomeSchema,
  JobSummarySchema,
  ProjectInfoSchema,
  requestSchemas,
  TileStatsSchema,
} from './schemas';
import type { PathPurpose } from './pathPurpose';

export type { PathPurpose } from './pathPurpose';

export type RequestChannel = keyof typeof requestSchemas;
export type RequestParams<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]['params']>;
export type RequestResult<C extends RequestChannel> = z.output<(typeof requestSchemas)[C]['result']>;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>;

export type ImageSummary = z.output<typeof ImageSummarySchema>;
export type ProjectInfo = z.output<typeof ProjectInfoSchema>;
export type JobSummary = z.output<typeof JobSummarySchema>;
export type ImportOutcome = z.output<typeof ImportOutcomeSchema>;
export type TileStats = z.output<typeof TileStatsSchema>;
export type AppInfo = z.output<typeof AppInfoSchema>;

export interface MicraApi {
  invoke<C extends RequestChannel>(channel: C, params: RequestParams<C>): Promise<RequestResult<C>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Failures reach the renderer as this shape, whichever transport carried them. */
export interface ApiError {
  code: 'bad-request' | 'not-found' | 'no-project' | 'failed';
  message: string;
}

/**
 * What the Electron preload exposes as `window.micra`: the MicraApi plus what only Electron can
 * do or know. A path-taking request (project.open, images.importPaths, images.relink,
 * models.import, models.export) is refused in Electron unless main handed its path out, through
 * `choosePath` (a native dialog) or `pathsForFiles` (a dropped file).
 */
export interface MicraBridge extends MicraApi {
  /** The dropped files' paths, granted for import ('' for a file main will not take). */
  pathsForFiles(files: readonly File[]): Promise<string[]>;
  /** Asks the user with a native dialog; the chosen path, granted for `purpose`, or null. */
  choosePath(purpose: PathPurpose): Promise<string | null>;
  /** Where the app serves tiles and thumbnails: its own origin. */
  readonly tileBaseUrl: string;
}
