// The IPC channel names shared by main and the preload (GitHub Desktop style: one typed map,
// no stringly-typed channels scattered around).
export const IPC_INVOKE = 'micra:invoke';
export const IPC_EVENT = 'micra:event';
export const TILE_SCHEME = 'micra';
export const TILE_BASE_URL = `${TILE_SCHEME}://app/`;
