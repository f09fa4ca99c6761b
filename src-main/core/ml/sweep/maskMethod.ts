// The sweep's mask methods, declared once in the API (a run's record says which one it used).
import type { z } from 'zod';
import { MaskMethodSchema } from '../../../api/channels/reviewChannels';

export { MaskMethodSchema };
export type MaskMethod = z.infer<typeof MaskMethodSchema>;
