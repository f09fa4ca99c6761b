// `npx tsx scripts/heldOutAssistance.ts [--size 4096] [--seed 9001] [--style classic] [--model MANIFEST.json] [--keep DIR]`:
// the paper's expert-assistance figures for a held-out synthetic SEM image, obtained the way a
// lab gets them for its own images — through the `micra` commands, nothing else:
//   1. generateSemTile at a seed the default model never saw (test/bench/sweep.ts's 9001) → a
//      TIFF, and its markers' centroids → a marker CSV (x,y,class), as an expert's clicks would be;
//   2. micra import; micra annotations import --set truth; micra sweep (the default model, or
//      --model); micra evaluate-detections --truth truth;
// and prints one JSON object: the image, each command run, and evaluate-detections' figures
// (recall, precision, F1, share of the image shown, at the model's threshold) with the
// recall-vs-shown curve (the paper's Fig. 6b). --keep DIR keeps the project there.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { generateSemTile, isSemStyleFamily, writeSemTiff } from '../test/generators/sem';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { size: { type: 'string' }, seed: { type: 'string' }, style: { type: 'string' }, model: { type: 'string' }, keep: { type: 'string' } } });
const size = Number(values.size ?? 4096);
const seed = Number(values.seed ?? 9001);
const style = values.style ?? 'classic';
if (!isSemStyleFamily(style)) throw new Error(`--style ${style} is not a style family of the generator`);
const family = style;
const exec = promisify(execFile);

interface Step {
  command: string;
  seconds: number;
}
const steps: Step[] = [];

/** Runs `micra ARGS` as a user would and returns its stdout's lines. */
async function micra(args: string[]): Promise<string[]> {
  const t0 = performance.now();
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', path.join(REPO, 'src-main/cli/main.ts'), ...args], { cwd: REPO, maxBuffer: 1 << 28 });
  steps.push({ command: `micra ${args.join(' ')}`, seconds: +((performance.now() - t0) / 1000).toFixed(1) });
  return stdout.trim().split('\n').filter((l) => l.length > 0);
}

async function main(): Promise<void> {
  const tmp = values.keep ? path.resolve(values.keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'micra-assistance-'));
  fs.mkdirSync(tmp, { recursive: true });
  const project = path.join(tmp, 'project');
  try {
    const tile = generateSemTile({ width: size, height: size, seed, style: family });
    const tiff = path.join(tmp, 'held-out.tif');
    await writeSemTiff(tiff, tile);
    // One click per marker, at its centroid: the paper's SEM annotations are one point per marker.
    const csv = path.join(tmp, 'markers.csv');
    fs.writeFileSync(csv, ['x,y,class', ...tile.markers.map((m) => `${m.cx.toFixed(2)},${m.cy.toFixed(2)},Axon`)].join('\n') + '\n');

    const imported = JSON.parse((await micra(['import', '--project', project, tiff]))[0] as string) as { id?: unknown };
    const imageId = imported.id;
    if (typeof imageId !== 'number') throw new Error(`micra import printed no image id: ${JSON.stringify(imported)}`);
    const I = ['--project', project, '--image', String(imageId)];
    const set = JSON.parse((await micra(['annotations', 'import', ...I, '--set', 'truth', csv]))[0] as string) as { markers: number };
    const swept = JSON.parse((await micra(['sweep', ...I, '--quiet', ...(values.model ? ['--model', path.resolve(values.model)] : [])]))[0] as string) as Record<string, unknown>;
    const evaluation = JSON.parse((await micra(['evaluate-detections', ...I, '--truth', 'truth']))[0] as string) as Record<string, unknown>;
    const { curve, ...figures } = evaluation;
    console.log(
      JSON.stringify(
        {
          image: { size, seed, style, markers: tile.markers.length, markersImported: set.markers },
          model: values.model ?? 'the bundled default (models/default)',
          sweep: swept,
          figures,
          curve,
          steps,
          paper: { interExpertRecall: 0.79 },
        },
        null,
        2,
      ),
    );
  } finally {
    if (!values.keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
