// `micra annotations export --project DIR --image ID --set NAME --out FILE`: one set's
// annotations on one image as GeoJSON (.geojson/.json: the features as imported) or CSV
// (.csv: x,y,class per marker); prints one JSON line.
import { resolve } from 'node:path';
import { exportAnnotationSet } from '../../core/annotations/sets/exportAnnotations';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { withProject } from './projectCommand';

export async function runAnnotationsExport(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    set: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const o = { imageId: nonNegativeInt(values.image, 'image'), setName: requiredString(values.set, 'set'), out: resolve(requiredString(values.out, 'out')) };
  const outcome = await withProject(requiredString(values.project, 'project'), (store) => exportAnnotationSet(store, o));
  console.log(JSON.stringify(outcome));
  return 0;
}
