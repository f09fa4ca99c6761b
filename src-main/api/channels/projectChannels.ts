import { z } from 'zod';
import { AppInfoSchema, ProjectInfoSchema } from '../entities';
import { NoParams } from './noParams';

export const projectRequests = {
  'app.info': { params: NoParams, result: AppInfoSchema },
  'project.open': {
    params: z.object({ dir: z.string().min(1), create: z.boolean() }).strict(),
    result: ProjectInfoSchema,
  },
} as const;

export const projectEvents = {
  'project.changed': ProjectInfoSchema,
} as const;
