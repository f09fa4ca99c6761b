// `micra annotations delete --project DIR --set NAME [--actor NAME]`: removes a set's entries and
// imports on every image and records who deleted it (core/annotations/sets/deleteSet.ts). Crop
// labels made from its markers stay, with their provenance: the JSON line says how many
// (`cropLabelsKept`).
import { deleteAnnotationSet } from '../../core/annotations/sets/deleteSet';
import { parseCommandArgs, requiredString, UsageError } from '../argv';
import { actorOf, withProject } from './projectCommand';

export async function runAnnotationsDelete(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { project: { type: 'string' }, set: { type: 'string' }, actor: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const name = requiredString(values.set, 'set');
  const actor = actorOf(values.actor);
  const outcome = await withProject(requiredString(values.project, 'project'), (store) => deleteAnnotationSet(store, name, actor));
  console.log(JSON.stringify(outcome));
  return 0;
}
