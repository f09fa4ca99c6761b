// The IPC channel names and the app's own origin, shared by main and the preload (GitHub
// Desktop style: one typed map, no stringly-typed channels scattered around). No Node imports:
// the sandboxed preload bundles this file.
export const IPC_INVOKE = 'micra:invoke';
export const IPC_EVENT = 'micra:event';
/** The renderer asks main to show a native dialog; main grants the chosen path. */
export const IPC_CHOOSE_PATH = 'micra:choose-path';
/** The preload hands main the paths of files dropped on the window; main grants the files. */
export const IPC_GRANT_DROPPED = 'micra:grant-dropped';

/**
 * The app is served from its own standard, secure scheme (not file://): the renderer's files,
 * and the tiles and thumbnails under /tiles/ and /thumbnails/, all from one origin, so the page
 * needs no CORS and its CSP's 'self' covers everything it loads.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'micra';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_BASE_URL = `${APP_ORIGIN}/`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;
