// Maps a jobs row (plus the live ETA, which only the runner knows) to the API's JobSummary.
import { JobKindSchema } from '../../api/schemas';
import type { JobSummary } from '../../api/types';
import type { JobRow } from './jobsRepo';

export function toJobSummary(row: JobRow, etaSeconds: number | null = null): JobSummary {
  return {
    id: row.id,
    kind: JobKindSchema.parse(row.kind),
    status: row.status,
    done: row.done,
    total: row.total,
    etaSeconds: row.status === 'running' ? etaSeconds : null,
    message: row.message,
    error: row.error,
    imageId: row.image_id,
  };
}
