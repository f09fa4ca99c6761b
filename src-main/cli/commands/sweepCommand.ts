// `micra sweep --project DIR (--image ID | --all) [--model PATH] [--stride N] [--workers N] [--mask object|reference] [--no-screen] [--restart] [--quiet]`:
// sweeps the images one after another. When each run ends it prints one JSON line for the run,
// then one per suggestion (merging across crop borders is final then):
//   {"run": RUN, "image": ID, "status": "done", "resumed": false, "fromCrop": 0, "crops": N, "screen": true}
//   {"image": ID, "box": [x, y, width, height], "score": P, "area": PIXELS, "id": ID, "run": RUN}
// An image whose last run with the same model and settings was cut short (a killed process, a
// cancel) continues that run from its finished crops ("resumed": true, "fromCrop": crops already
// done) unless --restart asks for a new run from crop 0.
// Progress goes to stderr (cli/progress.ts: one redrawn line on a terminal, else one line per
// update; --quiet: none). Without --model: the project's active model, else the bundled default.
// --mask: 'object' (default) measures each object on a crop centred on it; 'reference' keeps the
// paper's EM mask (a fixed share of the grid crop).
// --no-screen: every crop goes through the full model, even when the model has a distilled screen
// (by default a model's screen rules crops out first, unless the project's setting turned it off).
import { resolve } from 'node:path';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { createNodeApp } from '../nodeApp';
import { MaskMethodSchema } from '../../core/ml/sweep/maskMethod';
import { reviewQueue } from '../../core/review/reviewService';
import { resolveUserPath } from '../../core/project/userPath';
import { progressReporter } from '../progress';

export async function runSweepCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    all: { type: 'boolean' },
    model: { type: 'string' },
    stride: { type: 'string' },
    workers: { type: 'string' },
    mask: { type: 'string' },
    restart: { type: 'boolean' },
    'no-screen': { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  const maskMethod = values.mask === undefined ? undefined : MaskMethodSchema.safeParse(values.mask);
  if (maskMethod && !maskMethod.success) throw new UsageError('--mask must be object or reference');
  const projectDir = resolveUserPath(requiredString(values.project, 'project'));
  if ((values.image === undefined) === (values.all !== true)) throw new UsageError('give exactly one of --image ID or --all');
  const app = createNodeApp('cli');
  let failed = 0;
  try {
    await app.openProject(projectDir, false);
    const { store } = app.requireProject();
    const imageIds = values.all ? store.images.listByStatus('ready').map((i) => i.id) : [nonNegativeInt(values.image, 'image')];
    if (imageIds.length === 0) throw new Error('the project has no ready image to sweep');
    for (const id of imageIds) app.requireImage(id);
    const progress = progressReporter({ quiet: values.quiet === true });
    app.events.subscribe((event, payload) => {
      if (event !== 'job.updated') return;
      const job = payload as { kind: string; done: number; total: number; etaSeconds: number | null; imageId: number | null };
      if (job.kind === 'sweep' && job.total > 0) {
        const eta = job.etaSeconds === null ? '' : `, ~${Math.round(job.etaSeconds)} s left`;
        progress.update(`image ${job.imageId}: ${job.done}/${job.total} crops${eta}`);
      }
    });
    const service = app.requireProject().sweeps;
    const started = await service.startOrResume(
      {
        imageIds,
        manifestPath: typeof values.model === 'string' ? resolve(values.model) : undefined,
        stride: values.stride === undefined ? undefined : nonNegativeInt(values.stride, 'stride'),
        workers: values.workers === undefined ? undefined : nonNegativeInt(values.workers, 'workers'),
        maskMethod: maskMethod?.data,
        ...(values['no-screen'] === true ? { screen: false } : {}),
      },
      values.restart !== true,
    );
    for (const { run, resumedFromCrop } of started) {
      const settled = await service.settled(run.id);
      progress.end();
      for (const w of settled.warnings) console.error(`image ${run.imageId}: warning: ${w.message}`);
      if (settled.status !== 'done') {
        failed++;
        console.error(`image ${run.imageId}: sweep ${settled.status}${settled.error ? `: ${settled.error}` : ''} (run micra sweep again to resume run ${run.id})`);
      }
      console.log(
        JSON.stringify({
          run: run.id,
          image: run.imageId,
          status: settled.status,
          resumed: resumedFromCrop !== null,
          fromCrop: resumedFromCrop ?? 0,
          crops: settled.cropsDone,
          screen: settled.screen,
        }),
      );
      for (const item of reviewQueue(store, run.imageId, 'score', undefined, run.id)) {
        console.log(JSON.stringify({ image: item.imageId, box: item.box, score: item.score, area: item.area, id: item.id, run: run.id }));
      }
    }
  } finally {
    await app.close();
  }
  return failed > 0 ? 1 : 0;
}
