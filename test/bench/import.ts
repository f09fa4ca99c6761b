// Import benchmark (npm run bench:import): for a generated 10,240² 8-bit TIFF, uncompressed and
// LZW: first view (all coarse levels ready), whole pyramid vs libvips' own dzsave (sharp .tile())
// of the same file in the same run, peak RSS of the import vs the decoded size, and tile read
// latency over 1,000 random tiles. `--big` adds 25,000² imports (uncompressed and LZW) and their peak memory.
// Each measured run is a child process so its peak RSS and CPU time are its own. CPU times
// (user + system, all threads) are reported next to wall times because the 2-core machine is
// shared: the load average at start and end is printed too. A third baseline, libvips decoding
// the file to raw pixels and nothing else, is the floor for any first view.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createImportJobHandler } from '../../src-main/core/imaging/importJob';
import { levelCount, tileCountAt } from '../../src-shared/pyramidGeometry';
import { levelDoneMarker, partialTileDir, readTile } from '../../src-main/core/imaging/tileStore';

const self = fileURLToPath(import.meta.url);

async function generate(file: string, side: number, compression: 'none' | 'lzw'): Promise<void> {
  // SEM-like content: smooth structure plus per-pixel noise, so LZW does not shrink it to nothing.
  const data = Buffer.alloc(side * side);
  let seed = 12345;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      data[y * side + x] = (((x >> 4) + (y >> 4)) & 1 ? 150 : 90) + ((seed >> 16) & 31);
    }
  await sharp(data, { raw: { width: side, height: side, channels: 1 }, limitInputPixels: false })
    .toColourspace('b-w').tiff({ compression }).toFile(file);
}

/** CPU time (user + system, every thread) since `from`, in ms: the child's start-up is not counted. */
function cpuMs(from?: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1000;
}

async function childImport(file: string, projectDir: string): Promise<void> {
  const firstViewMarker = levelDoneMarker(partialTileDir(projectDir, 1), 1);
  let firstViewMs: number | null = null;
  let firstViewCpuMs: number | null = null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // First view: the moment level 1's done marker is on disk (every coarser level is done by then).
  const handler = createImportJobHandler({
    writeFile: async (p, d) => {
      await writeFile(p, d);
      if (p === firstViewMarker) {
        firstViewMs = performance.now() - t0;
        firstViewCpuMs = cpuMs(cpu0);
      }
    },
  });
  // When main announces each level (images.levelReady): what a viewer showing the image waits for.
  const levelReadyMs: Record<number, number> = {};
  await handler.run(
    { projectDir, imageId: 1, sourcePath: file },
    { signal: new AbortController().signal, progress: () => {}, note: (n) => void (levelReadyMs[n.level] = performance.now() - t0) },
  );
  const totalMs = performance.now() - t0;
  console.log(JSON.stringify({ firstViewMs, firstViewCpuMs, levelReadyMs, totalMs, cpuMs: cpuMs(cpu0), maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function childDzsave(file: string, out: string): Promise<void> {
  sharp.cache(false);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sharp(file, { limitInputPixels: false }).tile({ size: 512 }).toFile(out);
  console.log(JSON.stringify({ totalMs: performance.now() - t0, cpuMs: cpuMs(cpu0), maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function childDecode(file: string): Promise<void> {
  sharp.cache(false);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sharp(file, { limitInputPixels: false, sequentialRead: true }).raw().toBuffer();
  console.log(JSON.stringify({ totalMs: performance.now() - t0, cpuMs: cpuMs(cpu0) }));
}

interface ChildResult {
  firstViewMs?: number;
  firstViewCpuMs?: number;
  levelReadyMs?: Record<string, number>;
  totalMs?: number;
  cpuMs?: number;
  maxRssMB?: number;
}

function runChild(...args: string[]): ChildResult {
  const out = execFileSync(process.execPath, [...process.execArgv, self, ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

async function tileLatency(projectDir: string, side: number): Promise<{ medianMs: number; p99Ms: number }> {
  const levels = levelCount(side, side);
  const times: number[] = [];
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 1000; i++) {
    const level = rand(levels);
    const { cols, rows } = tileCountAt(side, side, level);
    const t0 = performance.now();
    const tile = await readTile(projectDir, 1, level, rand(cols), rand(rows));
    times.push(performance.now() - t0);
    if (!tile) throw new Error('missing tile');
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[500]!, p99Ms: times[990]! };
}

async function main(): Promise<void> {
  const [mode, a, b, c] = process.argv.slice(2);
  if (mode === '--child-import' && a && b) return childImport(a, b);
  if (mode === '--child-dzsave' && a && b) return childDzsave(a, b);
  if (mode === '--child-decode' && a) return childDecode(a);
  if (mode === '--child-generate' && a && b && c) return generate(a, Number(b), c === 'lzw' ? 'lzw' : 'none');
  const work = mkdtempSync(path.join(os.tmpdir(), 'micra-bench-'));
  const results: Record<string, unknown> = {
    machine: { cpus: os.cpus().length, node: process.version, vips: sharp.versions.vips, loadavgAtStart: os.loadavg() },
  };
  try {
    const cases: [string, number, 'none' | 'lzw'][] = [['10240-none', 10_240, 'none'], ['10240-lzw', 10_240, 'lzw']];
    if (process.argv.includes('--big')) cases.push(['25000-none', 25_000, 'none'], ['25000-lzw', 25_000, 'lzw']);
    for (const [name, side, compression] of cases) {
      const file = path.join(work, `${name}.tif`);
      // Generated in a child too: Linux carries a process's peak RSS across fork and exec, so a
      // parent that once held the 625 MB source would inflate every child's figure.
      execFileSync(process.execPath, [...process.execArgv, self, '--child-generate', file, String(side), compression]);
      const projectDir = path.join(work, `project-${name}`);
      const imp = runChild('--child-import', file, projectDir);
      const dz = side <= 10_240 ? runChild('--child-dzsave', file, path.join(work, `${name}.dz`)) : null;
      const decode = side <= 10_240 ? runChild('--child-decode', file) : null;
      const decodedMB = (side * side) / 1024 ** 2;
      results[name] = {
        decodedMB,
        firstViewMs: imp.firstViewMs,
        firstViewCpuMs: imp.firstViewCpuMs,
        levelReadyMs: imp.levelReadyMs,
        pyramidMs: imp.totalMs,
        pyramidCpuMs: imp.cpuMs,
        importPeakRssMB: imp.maxRssMB,
        peakRssOverDecoded: (imp.maxRssMB ?? 0) / decodedMB,
        ...(dz
          ? {
              dzsaveMs: dz.totalMs,
              dzsaveCpuMs: dz.cpuMs,
              dzsavePeakRssMB: dz.maxRssMB,
              pyramidOverDzsave: (imp.totalMs ?? 0) / (dz.totalMs ?? 1),
              pyramidCpuOverDzsaveCpu: (imp.cpuMs ?? 0) / (dz.cpuMs ?? 1),
            }
          : {}),
        ...(decode ? { libvipsDecodeOnlyMs: decode.totalMs, libvipsDecodeOnlyCpuMs: decode.cpuMs, firstViewOverDecodeOnly: (imp.firstViewMs ?? 0) / (decode.totalMs ?? 1) } : {}),
        tileRead: await tileLatency(projectDir, side),
      };
      rmSync(projectDir, { recursive: true, force: true });
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  results.loadavgAtEnd = os.loadavg();
  console.log(JSON.stringify(results, null, 2));
}

await main();
