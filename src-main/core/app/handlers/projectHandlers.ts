import type { AppContext, HandlerGroup } from '../appContext';
import { ApiFailure } from '../requestDispatcher';

export function projectHandlers(app: AppContext): HandlerGroup<'app.info' | 'project.open'> {
  return {
    'app.info': async () => ({ version: app.version, transport: app.transport, project: app.projectInfo() }),
    'project.open': async ({ dir, create }) => {
      try {
        return await app.openProject(dir, create);
      } catch (err) {
        throw new ApiFailure('failed', err instanceof Error ? err.message : String(err));
      }
    },
  };
}
