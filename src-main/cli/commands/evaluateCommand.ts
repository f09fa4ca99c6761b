// `micra evaluate --project DIR --model ID [--split validation|test|train]`: the model's
// classification accuracy, PR curve and suggested threshold on one split of the project's
// labelled crops, as one JSON document.
import { dispatchRequest } from '../../core/app/requestDispatcher';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { createNodeApp } from '../nodeApp';
import { resolveUserPath } from '../../core/project/userPath';

export async function runEvaluateCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { project: { type: 'string' }, model: { type: 'string' }, split: { type: 'string', default: 'validation' } });
  const split = values.split ?? 'validation';
  if (!['train', 'validation', 'test'].includes(split)) throw new UsageError('--split must be train, validation or test');
  const app = createNodeApp('cli');
  try {
    await app.openProject(resolveUserPath(requiredString(values.project, 'project')), false);
    const out = await dispatchRequest(app.handlers, 'evaluation.run', { modelId: nonNegativeInt(values.model, 'model'), split });
    if (!out.ok) throw new Error(out.error.message);
    console.log(JSON.stringify(out.result, null, 1));
    return 0;
  } finally {
    await app.close();
  }
}
