// Every request channel and event, assembled from one module per domain so that each domain's
// contract can grow on its own.
import { annotationEvents, annotationRequests } from './annotationChannels';
import { annotationSetEvents, annotationSetRequests } from './annotationSetChannels';
import { computeEvents, computeRequests } from './computeChannels';
import { batchSweepEvents, batchSweepRequests } from './batchSweepChannels';
import { folderRequests } from './folderChannels';
import { imageEvents, imageRequests } from './imageChannels';
import { jobEvents, jobRequests } from './jobChannels';
import { measurementEvents, measurementRequests } from './measurementChannels';
import { overviewEvents, overviewRequests } from './overviewChannels';
import { projectEvents, projectRequests } from './projectChannels';
import { reviewEvents, reviewRequests } from './reviewChannels';
import { trainingEvents, trainingRequests } from './trainingChannels';

/** Every request the renderer can make: channel → params and result schemas. */
export const requestSchemas = {
  ...projectRequests,
  ...imageRequests,
  ...jobRequests,
  ...annotationRequests,
  ...annotationSetRequests,
  ...reviewRequests,
  ...trainingRequests,
  ...measurementRequests,
  ...overviewRequests,
  ...computeRequests,
  ...folderRequests,
  ...batchSweepRequests,
} as const;

/** Every event main pushes to the renderer: name → payload schema. */
export const eventSchemas = {
  ...projectEvents,
  ...imageEvents,
  ...jobEvents,
  ...annotationEvents,
  ...annotationSetEvents,
  ...reviewEvents,
  ...trainingEvents,
  ...measurementEvents,
  ...overviewEvents,
  ...computeEvents,
  ...batchSweepEvents,
} as const;
