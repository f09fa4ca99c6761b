// `--base-model default|ID|PATH/manifest.json`: the bundled default model, a model of the
// project by id, or a weights folder / manifest to import into the project first.
import { UsageError } from '../argv';

export type BaseModelArg = { kind: 'default' } | { kind: 'model'; id: number } | { kind: 'path'; path: string };

export function parseBaseModelArg(text: string): BaseModelArg {
  const value = text.trim();
  if (value === '') throw new UsageError('--base-model needs default, a model ID or PATH/manifest.json');
  if (value === 'default') return { kind: 'default' };
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`--base-model ${value} is not a model ID`);
    return { kind: 'model', id };
  }
  return { kind: 'path', path: value };
}
