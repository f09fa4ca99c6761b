// `micra annotations import --project DIR --image ID --set NAME FILE [--units px|um] [--actor NAME]`:
// one annotation file (CSV of points or GeoJSON, by its extension) onto one image into a named
// set; prints one JSON line with the counts by geometry and class.
import { resolve } from 'node:path';
import { importAnnotations } from '../../core/annotations/sets/importAnnotations';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { actorOf, withProject } from './projectCommand';

export async function runAnnotationsImport(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    set: { type: 'string' },
    units: { type: 'string', default: 'px' },
    actor: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('annotations import takes one FILE');
  const units = values.units ?? 'px';
  if (units !== 'px' && units !== 'um') throw new UsageError('--units must be px or um');
  const input = {
    imageId: nonNegativeInt(values.image, 'image'),
    setName: requiredString(values.set, 'set'),
    file: resolve(positionals[0] as string),
    units,
    actor: actorOf(values.actor),
  } as const;
  const outcome = await withProject(requiredString(values.project, 'project'), (store) => importAnnotations(store, input));
  console.log(JSON.stringify(outcome));
  return 0;
}
