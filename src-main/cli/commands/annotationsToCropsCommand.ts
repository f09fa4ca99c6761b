// `micra annotations to-crops --project DIR --image ID --set NAME [--ratio 1:3] [--seed S]
//   [--crop-size N] [--class NAME] [--actor NAME]`: labelled training crops from a set's markers
// (core/annotations/sets/markerCrops.ts); prints one JSON line with what was made.
import { markerCrops } from '../../core/annotations/sets/markerCrops';
import { DEFAULT_TRAINING } from '../../core/ml/training/trainingService';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { actorOf, withProject } from './projectCommand';
import { parsePuRatio } from './trainCommand';

function ratioOf(text: string): number {
  try {
    return parsePuRatio(text);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--ratio must look like 1:3, got '${text}'`);
    throw err;
  }
}

export async function runAnnotationsToCrops(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    set: { type: 'string' },
    ratio: { type: 'string', default: '1:3' },
    seed: { type: 'string', default: '0' },
    'crop-size': { type: 'string' },
    class: { type: 'string' },
    actor: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const cropSize = nonNegativeInt(values['crop-size'], 'crop-size', DEFAULT_TRAINING.cropSize);
  // Default: the crop `micra train` trains on unless told otherwise.
  if (cropSize === 0) throw new UsageError('--crop-size must be positive');
  const input = {
    imageId: nonNegativeInt(values.image, 'image'),
    setName: requiredString(values.set, 'set'),
    cropSize,
    ratio: ratioOf(values.ratio ?? '1:3'),
    seed: nonNegativeInt(values.seed, 'seed', 0),
    className: values.class,
    actor: actorOf(values.actor),
  };
  const outcome = await withProject(requiredString(values.project, 'project'), (store) => markerCrops(store, input));
  console.log(JSON.stringify(outcome));
  return 0;
}
