// `npm run bench:digits -- [--train N] [--val N] [--test N] [--epochs N] [--size S] [--batch N]
//  [--lr X] [--seed N] [--segment N] [--workers N] [--work DIR] [--fresh] [--backend NAME]`
// The MICRA-Net paper's cluttered-digits benchmark (paper: 98.9 ± 0.5 % accuracy; precise
// segmentation better than coarse), trained with the app's training loop on the fastest
// backend. Defaults are the paper's scale: 2,000 / 1,000 / 1,000 fields of 256², every test
// field segmented, training steps data-parallel over every core (--workers 1: one core). Prints one JSON document on stdout (learning curve, test accuracy, precise vs
// coarse segmentation, timings and the full-scale time extrapolated from this run), progress
// with an ETA on stderr. Resumable: run the same command again and it continues from the last
// completed epoch (checkpoints in --work, default test-output/bench-digits/<configuration>).
// Ctrl-C stops between training steps; the last completed epoch is kept.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isBackendName } from '../src-main/core/ml/backend';
import { formatSeconds } from './digits/benchEta';
import { PAPER, runDigitsBenchmark, type DigitsBenchConfig } from './digits/digitsBenchmark';

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: String(PAPER.trainFields) },
    val: { type: 'string', default: String(PAPER.validationFields) },
    test: { type: 'string', default: String(PAPER.testFields) },
    epochs: { type: 'string', default: '10' },
    size: { type: 'string', default: String(PAPER.fieldSize) },
    batch: { type: 'string', default: '4' },
    lr: { type: 'string', default: '0.001' },
    seed: { type: 'string', default: '1' },
    segment: { type: 'string' },
    workers: { type: 'string', default: '0' },
    work: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    backend: { type: 'string' },
  },
});

const num = (v: string | undefined, flag: string): number => {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n)) throw new Error(`--${flag} must be a number, got '${v}'`);
  return n;
};

const config: DigitsBenchConfig = {
  train: num(values.train, 'train'),
  validation: num(values.val, 'val'),
  test: num(values.test, 'test'),
  epochs: num(values.epochs, 'epochs'),
  size: num(values.size, 'size'),
  batchSize: num(values.batch, 'batch'),
  learningRate: num(values.lr, 'lr'),
  seed: num(values.seed, 'seed'),
  segment: values.segment === undefined ? num(values.test, 'test') : num(values.segment, 'segment'),
  workers: num(values.workers, 'workers'),
};
if (values.backend !== undefined && !isBackendName(values.backend)) throw new Error(`--backend ${values.backend} is not a backend`);

const workDir = path.resolve(
  values.work ?? path.join('test-output', 'bench-digits', `t${config.train}-v${config.validation}-x${config.test}-e${config.epochs}-s${config.size}-b${config.batchSize}-w${config.workers}-seed${config.seed}`),
);
const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\nstopping after this step; run the same command again to resume\n');
  controller.abort();
});

// One progress line every few seconds, and at every epoch and phase change.
let lastLine = 0;
let lastPhase = '';
const started = performance.now();
const report = await runDigitsBenchmark(config, {
  workDir,
  fresh: values.fresh,
  ...(values.backend !== undefined && isBackendName(values.backend) ? { backend: values.backend } : {}),
  signal: controller.signal,
  onProgress: (p) => {
    const now = performance.now();
    if (p.phase === 'train' && p.phase === lastPhase && now - lastLine < 5000 && p.done !== p.total) return;
    lastLine = now;
    lastPhase = p.phase;
    const eta = p.etaSeconds === null ? 'ETA ?' : `ETA ${formatSeconds(p.etaSeconds)}`;
    process.stderr.write(`[${formatSeconds((now - started) / 1000)}] ${p.phase} ${p.done}/${p.total} · ${p.detail} · ${eta}\n`);
  },
});
process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
