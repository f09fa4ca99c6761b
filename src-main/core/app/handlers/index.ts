// All MicraApi handlers, one group per domain; the type checks that every channel has one.
import type { AppContext } from '../appContext';
import type { RequestHandlers } from '../requestDispatcher';
import { annotationHandlers } from './annotationHandlers';
import { computeHandlers } from './computeHandlers';
import { imageHandlers } from './imageHandlers';
import { jobHandlers } from './jobHandlers';
import { measurementHandlers } from './measurementHandlers';
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
    ...trainingHandlers(app),
    ...measurementHandlers(app),
    ...computeHandlers(app),
  };
}
