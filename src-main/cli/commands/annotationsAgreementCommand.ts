// `micra annotations agreement --project DIR [--image ID] [--sets A,B,…]`: how far experts agree —
// for every ordered pair of sets, recall and precision of one against the other (markers matched
// one to one within 56 px) on the images both annotate, or on one image; one JSON line
// (core/evaluation/agreementTable.ts).
import { DomainError } from '../../api/domainError';
import { agreementTable } from '../../core/evaluation/agreementTable';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { withProject } from './projectCommand';

export async function runAnnotationsAgreement(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { project: { type: 'string' }, image: { type: 'string' }, sets: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const sets = values.sets === undefined ? undefined : values.sets.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (sets !== undefined && sets.length < 2) throw new UsageError('--sets names two sets or more, separated by commas');
  const imageId = values.image === undefined ? undefined : nonNegativeInt(values.image, 'image');
  const table = await withProject(requiredString(values.project, 'project'), (store) => {
    if (imageId !== undefined && !store.images.get(imageId)) throw new UsageError(`no image with id ${imageId}`);
    try {
      return agreementTable(store, { imageId, sets });
    } catch (err) {
      if (err instanceof DomainError) throw new UsageError(err.message);
      throw err;
    }
  });
  console.log(JSON.stringify(table));
  return 0;
}
