// `micra evaluate-detections --project DIR --image ID --truth SET [--against SET2 | --run RUN_ID]
//   [--threshold T]`: an annotation set as the truth against a sweep run's suggestions (default:
// the image's latest finished run, at the model's threshold) or against another set; one JSON
// line (core/evaluation/evaluateDetections.ts states the rules).
import { evaluateDetections, EvaluationInputError } from '../../core/evaluation/evaluateDetections';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { withProject } from './projectCommand';

function thresholdOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Number(value);
  if (value.trim() === '' || !(t >= 0 && t <= 1)) throw new UsageError('--threshold must be a number from 0 to 1');
  return t;
}

export async function runEvaluateDetectionsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    truth: { type: 'string' },
    against: { type: 'string' },
    run: { type: 'string' },
    threshold: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const input = {
    imageId: nonNegativeInt(values.image, 'image'),
    truth: requiredString(values.truth, 'truth'),
    against: values.against,
    runId: values.run === undefined ? undefined : nonNegativeInt(values.run, 'run'),
    threshold: thresholdOf(values.threshold),
  };
  const result = await withProject(requiredString(values.project, 'project'), (store) => {
    try {
      return evaluateDetections(store, input);
    } catch (err) {
      if (err instanceof EvaluationInputError) throw new UsageError(err.message);
      throw err;
    }
  });
  console.log(JSON.stringify(result));
  return 0;
}
