// The progress message of the background 'prepareFeatures' job (issue 13): the compute side
// writes it, the Retrain button reads it ("features ready for N of M new crops"). Pure: main,
// the compute process and the renderer share it.

export const FEATURE_PREP_PROGRESS_PREFIX = 'features:';

export interface FeaturePrepProgress {
  /** New crops whose frozen features are all stored. */
  ready: number;
  /** Crops that had features missing when the job started. */
  total: number;
}

export function encodeFeaturePrepProgress(p: FeaturePrepProgress): string {
  return `${FEATURE_PREP_PROGRESS_PREFIX}${JSON.stringify({ ready: p.ready, total: p.total })}`;
}

/** The progress in a job message, or null when the message is not one (or is malformed). */
export function decodeFeaturePrepProgress(message: string | null | undefined): FeaturePrepProgress | null {
  if (!message?.startsWith(FEATURE_PREP_PROGRESS_PREFIX)) return null;
  try {
    const v: unknown = JSON.parse(message.slice(FEATURE_PREP_PROGRESS_PREFIX.length));
    if (typeof v !== 'object' || v === null) return null;
    const { ready, total } = v as Record<string, unknown>;
    if (!Number.isSafeInteger(ready) || !Number.isSafeInteger(total)) return null;
    if ((ready as number) < 0 || (ready as number) > (total as number)) return null;
    return { ready: ready as number, total: total as number };
  } catch {
    return null;
  }
}
