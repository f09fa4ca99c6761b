// `micra evaluate-detections --project DIR --image ID --truth SET [--against SET2 | --run RUN_ID]
//   [--threshold T]`: an annotation set as the truth against a sweep run's suggestions (default:
// the image's latest finished run, at the model's threshold) or against another set; one JSON
// line (core/evaluation/evaluateDetections.ts states the rules).
// `--all-images` instead of `--image`: every image the set annotates, each against its latest
// finished run — per image and summed over the project, with the project's curve
// (core/evaluation/evaluateProject.ts); with `--against SET2`, the two sets' agreement over the
// images both annotate (core/evaluation/agreementTable.ts).
import { DomainError } from '../../api/domainError';
import { agreementTable } from '../../core/evaluation/agreementTable';
import { evaluateDetections } from '../../core/evaluation/evaluateDetections';
import { evaluateProject } from '../../core/evaluation/evaluateProject';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { withProject } from './projectCommand';

function thresholdOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Number(value);
  if (value.trim() === '' || !(t >= 0 && t <= 1)) throw new UsageError('--threshold must be a number from 0 to 1');
  return t;
}

/** Core input errors are the user's to fix: a usage error (exit 2) with the core's message. */
function userErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DomainError) throw new UsageError(err.message);
    throw err;
  }
}

export async function runEvaluateDetectionsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    'all-images': { type: 'boolean' },
    truth: { type: 'string' },
    against: { type: 'string' },
    run: { type: 'string' },
    threshold: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const project = requiredString(values.project, 'project');
  const truth = requiredString(values.truth, 'truth');
  const threshold = thresholdOf(values.threshold);
  if (values['all-images'] === true) {
    if (values.image !== undefined || values.run !== undefined) throw new UsageError('--all-images evaluates every image the set annotates, each at its latest finished run: drop --image and --run');
    const against = values.against;
    if (against !== undefined && threshold !== undefined) throw new UsageError('--against compares two sets; --threshold applies to sweep runs');
    const result = await withProject(project, (store) =>
      userErrors(() => {
        if (against === undefined) return evaluateProject(store, { truth, threshold });
        const table = agreementTable(store, { sets: [truth, against] });
        const pair = table.pairs.find((p) => p.againstSet.toLowerCase() === against.toLowerCase());
        return { mode: 'sets-project', matchDistance: table.matchDistance, ...pair };
      }),
    );
    console.log(JSON.stringify(result));
    return 0;
  }
  const input = {
    imageId: nonNegativeInt(values.image, 'image'),
    truth,
    against: values.against,
    runId: values.run === undefined ? undefined : nonNegativeInt(values.run, 'run'),
    threshold,
  };
  const result = await withProject(project, (store) => userErrors(() => evaluateDetections(store, input)));
  console.log(JSON.stringify(result));
  return 0;
}
