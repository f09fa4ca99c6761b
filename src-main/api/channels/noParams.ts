import { z } from 'zod';

/** Requests that take nothing still reject anything extra. */
export const NoParams = z.object({}).strict();
