import type { projectRequests } from '../../../api/channels/projectChannels';
import type { AppContext, HandlerGroup } from '../appContext';
import { DomainError } from '../../../api/domainError';
import type { ProjectInfo } from '../../../api/types';
import { rememberRecentProject } from '../recentProjects';
import { userConfigDir } from '../userConfig';

/** The start screen's recent projects; a config folder we cannot write never fails an open. */
function remember(info: ProjectInfo): void {
  try {
    rememberRecentProject(userConfigDir(), info);
  } catch (err) {
    console.warn(`could not record the recent project: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function projectHandlers(app: AppContext): HandlerGroup<typeof projectRequests> {
  return {
    'app.info': async () => ({ version: app.version, transport: app.transport, project: app.projectInfo() }),
    'project.open': async ({ dir, create }) => {
      try {
        const info = await app.openProject(dir, create);
        remember(info);
        return info;
      } catch (err) {
        throw new DomainError('failed', err instanceof Error ? err.message : String(err));
      }
    },
  };
}
