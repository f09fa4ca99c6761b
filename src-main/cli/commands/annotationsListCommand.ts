// `micra annotations list --project DIR`: the project's annotation sets, who made each and when,
// and what each holds per image, as one JSON line.
import { annotationSetSummaries } from '../../core/annotations/sets/setSummaries';
import { parseCommandArgs, requiredString, UsageError } from '../argv';
import { withProject } from './projectCommand';

export async function runAnnotationsList(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { project: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const sets = await withProject(requiredString(values.project, 'project'), (store) =>
    annotationSetSummaries(store.annotationSets).map(({ name, createdBy, createdAt, images }) => ({ name, createdBy, createdAt, images })),
  );
  console.log(JSON.stringify({ sets }));
  return 0;
}
