import { z } from 'zod';
import { JobIdSchema, JobSummarySchema } from '../entities';
import { NoParams } from './noParams';

export const jobRequests = {
  'jobs.list': { params: NoParams, result: z.array(JobSummarySchema) },
  'jobs.cancel': { params: z.object({ id: JobIdSchema }).strict(), result: z.object({ cancelled: z.boolean() }) },
} as const;

export const jobEvents = {
  'job.updated': JobSummarySchema,
} as const;
