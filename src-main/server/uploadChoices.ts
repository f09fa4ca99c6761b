// The choices that travel with an upload (serve mode) as query parameters, checked like any
// other message that crosses into main: ?pages=first|each&page=N&skipDuplicates=1.
import { z } from 'zod';
import { PageChoiceSchema } from '../api/channels/imageChannels';
import type { ImportChoices } from '../core/app/importService';

const FlagSchema = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const UploadQuerySchema = z
  .object({
    pages: PageChoiceSchema.optional(),
    page: z
      .string()
      .regex(/^\d{1,7}$/, 'page must be a non-negative integer')
      .transform(Number)
      .optional(),
    skipDuplicates: FlagSchema.optional(),
  })
  .strict();

export type UploadChoicesResult = { ok: true; choices: ImportChoices } | { ok: false; error: string };

/** Reads the import choices of an upload URL; anything unknown or malformed is refused. */
export function uploadChoices(params: URLSearchParams): UploadChoicesResult {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key === 'name' || key === 'token') continue;
    if (key in raw) return { ok: false, error: `?${key}= is given twice` };
    raw[key] = value;
  }
  const parsed = UploadQuerySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ') };
  const { pages, page, skipDuplicates } = parsed.data;
  return { ok: true, choices: { pages: pages ?? 'first', page, skipDuplicates: skipDuplicates ?? false } };
}
