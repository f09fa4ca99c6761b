import type { jobRequests } from '../../../api/channels/jobChannels';
import type { AppContext, HandlerGroup } from '../appContext';

export function jobHandlers(app: AppContext): HandlerGroup<typeof jobRequests> {
  return {
    'jobs.list': async () => app.requireProject().runner.list(50),
    'jobs.cancel': async ({ id }) => ({ cancelled: app.requireProject().runner.cancel(id) }),
  };
}
