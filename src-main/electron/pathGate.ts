// Which request params are file paths, and the check that main handed each of them out. Run
// by Electron's IPC handler before the request is dispatched; serve mode and the CLI, whose
// user names paths on their own machine, do not use it.
import type { PathPurpose } from '../api/pathPurpose';
import { isMicraNetZooPath } from '../../src-shared/modelZooPath';
import { requestSchemas } from '../api/schemas';
import type { RequestChannel } from '../api/types';
import type { z } from 'zod';
import type { GrantedPaths } from './grantedPaths';

type Params<C extends RequestChannel> = z.output<(typeof requestSchemas)[C]['params']>;
type PathsOf<C extends RequestChannel> = (params: Params<C>) => Array<{ purpose: PathPurpose; path: string }>;

/** Every channel that takes a file path, and what each path is for. */
export const PATH_PARAMS: { readonly [C in RequestChannel]?: PathsOf<C> } = {
  'project.open': (p) => [{ purpose: 'project', path: p.dir }],
  'images.importPaths': (p) => p.paths.map((path) => ({ purpose: 'image' as const, path })),
  'images.relink': (p) => [{ purpose: 'image', path: p.path }],
  // A zoo file is chosen in its own dialog (a file, where a model is a folder).
  'models.import': (p) => [{ purpose: isMicraNetZooPath(p.path) ? 'model-zoo' : 'model-import', path: p.path }],
  'models.export': (p) => [{ purpose: 'model-export', path: p.path }],
  // Serve mode's folder browser (its handler refuses in Electron as well): a granted project folder at most.
  'folders.list': (p) => (p.dir === undefined ? [] : [{ purpose: 'project', path: p.dir }]),
};

/**
 * The first path of the request that main did not hand out for its purpose, or null when there
 * is none. Params that do not parse are left to the dispatcher, which refuses them.
 */
export function ungrantedPath(channel: string, params: unknown, granted: GrantedPaths): string | null {
  if (!Object.hasOwn(PATH_PARAMS, channel)) return null;
  const name = channel as RequestChannel;
  const parsed = requestSchemas[name].params.safeParse(params);
  if (!parsed.success) return null;
  const pathsOf = PATH_PARAMS[name] as ((p: unknown) => Array<{ purpose: PathPurpose; path: string }>) | undefined;
  for (const { purpose, path } of pathsOf?.(parsed.data) ?? []) {
    if (!granted.isGranted(purpose, path)) return path;
  }
  return null;
}
