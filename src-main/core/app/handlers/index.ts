// All MicraApi handlers, one group per domain; the type checks that every channel has one.
import type { AppContext } from '../appContext';
import type { RequestHandlers } from '../requestDispatcher';
import { annotationHandlers } from './annotationHandlers';
import { annotationSetHandlers } from './annotationSetHandlers';
import { batchSweepHandlers } from './batchSweepHandlers';
import { computeHandlers } from './computeHandlers';
import { folderHandlers } from './folderHandlers';
import { imageHandlers } from './imageHandlers';
import { jobHandlers } from './jobHandlers';
import { measurementHandlers } from './measurementHandlers';
import { overviewHandlers } from './overviewHandlers';
import { projectHandlers } from './projectHandlers';
import { reviewHandlers } from './reviewHandlers';
import { trainingHandlers } from './trainingHandlers';

export function createRequestHandlers(app: AppContext): RequestHandlers {
  return {
    ...projectHandlers(app),
    ...imageHandlers(app),
    ...jobHandlers(app),
    ...reviewHandlers(app),
    ...annotationHandlers(app),
    ...annotationSetHandlers(app),
    ...trainingHandlers(app),
    ...measurementHandlers(app),
    ...overviewHandlers(app),
    ...computeHandlers(app),
    ...folderHandlers(app),
    ...batchSweepHandlers(app),
  };
}
