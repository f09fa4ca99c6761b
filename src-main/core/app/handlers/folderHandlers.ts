import { DomainError } from '../../../api/domainError';
import type { folderRequests } from '../../../api/channels/folderChannels';
import type { AppContext, HandlerGroup } from '../appContext';
import { listFolders } from '../folderBrowser';
import { listRecentProjects } from '../recentProjects';
import { userConfigDir } from '../userConfig';

export function folderHandlers(app: AppContext): HandlerGroup<typeof folderRequests> {
  return {
    'folders.list': async ({ dir }) => {
      // Electron's renderer names only paths main handed out (its native dialog chooses folders).
      if (app.transport === 'electron') throw new DomainError('bad-request', 'the folder browser is for serve mode: Choose… opens the system dialog');
      return listFolders(dir);
    },
    'projects.recent': async () => listRecentProjects(userConfigDir()),
  };
}
