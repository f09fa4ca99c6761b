// Envelopes of the serve-mode WebSocket protocol. Electron IPC carries the same channel names
// and params, so both transports share requestSchemas for validation.
import { z } from 'zod';

export const WireRequestSchema = z
  .object({ id: z.number().int().nonnegative(), channel: z.string().max(64), params: z.unknown() })
  .strict();

export type WireRequest = z.infer<typeof WireRequestSchema>;

export type WireMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: { code: string; message: string } }
  | { kind: 'event'; event: string; payload: unknown };
