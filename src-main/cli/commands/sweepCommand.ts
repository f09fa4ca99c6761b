// `micra sweep --project DIR (--image ID | --all) [--model PATH] [--stride N] [--workers N] [--mask object|reference]`:
// sweeps the images one after another and prints one JSON line per suggestion of each run
// once the run is complete (merging across crop borders is final then):
//   {"image": ID, "box": [x, y, width, height], "score": P, "area": PIXELS, "id": ID, "run": RUN}
// Progress goes to stderr. Without --model: the project's active model, else the bundled default.
// --mask: 'object' (default) measures each object on a crop centred on it; 'reference' keeps the
// paper's EM mask (a fixed share of the grid crop).
import { resolve } from 'node:path';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { createNodeApp } from '../nodeApp';
import { sweepServiceFor } from '../../core/app/handlers/reviewHandlers';
import { MaskMethodSchema } from '../../core/ml/sweep/maskMethod';
import { reviewQueue } from '../../core/review/reviewService';

export async function runSweepCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    all: { type: 'boolean' },
    model: { type: 'string' },
    stride: { type: 'string' },
    workers: { type: 'string' },
    mask: { type: 'string' },
  });
  const maskMethod = values.mask === undefined ? undefined : MaskMethodSchema.safeParse(values.mask);
  if (maskMethod && !maskMethod.success) throw new UsageError('--mask must be object or reference');
  const projectDir = resolve(requiredString(values.project, 'project'));
  if ((values.image === undefined) === (values.all !== true)) throw new UsageError('give exactly one of --image ID or --all');
  const app = createNodeApp('serve');
  let failed = 0;
  try {
    await app.openProject(projectDir, false);
    const { store } = app.requireProject();
    const imageIds = values.all ? store.images.listByStatus('ready').map((i) => i.id) : [nonNegativeInt(values.image, 'image')];
    if (imageIds.length === 0) throw new Error('the project has no ready image to sweep');
    for (const id of imageIds) app.requireImage(id);
    app.events.subscribe((event, payload) => {
      if (event !== 'job.updated') return;
      const job = payload as { kind: string; done: number; total: number; etaSeconds: number | null; imageId: number | null };
      if (job.kind === 'sweep' && job.total > 0) {
        const eta = job.etaSeconds === null ? '' : `, ~${Math.round(job.etaSeconds)} s left`;
        process.stderr.write(`image ${job.imageId}: ${job.done}/${job.total} crops${eta}\r`);
      }
    });
    const service = sweepServiceFor(app);
    const runs = await service.start({
      imageIds,
      manifestPath: typeof values.model === 'string' ? resolve(values.model) : undefined,
      stride: values.stride === undefined ? undefined : nonNegativeInt(values.stride, 'stride'),
      workers: values.workers === undefined ? undefined : nonNegativeInt(values.workers, 'workers'),
      maskMethod: maskMethod?.data,
    });
    for (const run of runs) {
      const settled = await service.settled(run.id);
      process.stderr.write('\n');
      for (const w of settled.warnings) console.error(`image ${run.imageId}: warning: ${w.message}`);
      if (settled.status !== 'done') {
        failed++;
        console.error(`image ${run.imageId}: sweep ${settled.status}${settled.error ? `: ${settled.error}` : ''} (resume with the app, run ${run.id})`);
      }
      for (const item of reviewQueue(store, run.imageId, 'score', undefined, run.id)) {
        console.log(JSON.stringify({ image: item.imageId, box: item.box, score: item.score, area: item.area, id: item.id, run: run.id }));
      }
    }
  } finally {
    await app.close();
  }
  return failed > 0 ? 1 : 0;
}
