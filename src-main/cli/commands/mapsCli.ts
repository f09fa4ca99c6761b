// `micra maps --weights MANIFEST.json --input IMAGE.tif --out DIR`: argument parsing only;
// the work is the engine's runMapsCommand.
import { resolve } from 'node:path';
import { parseCommandArgs, requiredString } from '../argv';
import { runMapsCommand } from './maps';

export async function runMapsCli(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    weights: { type: 'string' },
    input: { type: 'string' },
    out: { type: 'string' },
  });
  await runMapsCommand({
    weights: resolve(requiredString(values.weights, 'weights')),
    input: resolve(requiredString(values.input, 'input')),
    out: resolve(requiredString(values.out, 'out')),
  });
  return 0;
}
