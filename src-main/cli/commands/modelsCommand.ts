// `micra models import-zoo FILE.hdf5 [--supervision 1:5] [--model NAME] --out DIR`: one model
// of a model zoo of the original MICRA-Net code, written as the engine's weights folder
// (manifest.json + .f32, with its card) that `micra maps`, `micra sweep --model` and the app's
// model import take. Prints one JSON line: the manifest, the zoo's group and model, classes,
// thresholds, input size and the weights' SHA-256. A zoo with several groups (or models) and
// no choice is refused with the list to choose from.
import { parseCommandArgs, requiredString, UsageError } from '../argv';
import { importMicraNetZoo } from '../../core/ml/weights/zooImport';

const SUBCOMMANDS = ['import-zoo'] as const;

export async function runModelsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import-zoo') throw new UsageError(`micra models needs a subcommand: ${SUBCOMMANDS.join(', ')}`);
  const { values, positionals } = parseCommandArgs(rest, {
    supervision: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('micra models import-zoo takes exactly one FILE.hdf5');
  const out = requiredString(values.out, 'out');
  const result = await importMicraNetZoo(positionals[0] as string, { supervision: values.supervision, model: values.model }, out);
  console.log(JSON.stringify(result));
  return 0;
}
