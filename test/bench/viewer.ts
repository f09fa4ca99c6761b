// Viewer benchmark (npm run bench:viewer): the built app (`micra serve`) in Debian's Chromium on
// a generated 10,240² 8-bit TIFF. Scripted pan / zoom sessions through the viewer's test hook:
//  - 200 steps across zoom levels with LOD, and the same 200 views with LOD off (`?lod=off`:
//    level 0 only) as the same-run baseline; both on a warm store (a warm-up pass reads every
//    tile once, so the OS cache holds the store), each in a fresh page (empty GPU cache) with
//    the browser's HTTP cache emptied first, so that every tile a measured pass needs comes from
//    the server (otherwise what the warm-up passes happened to leave in that cache decides how
//    many steps wait for the network);
//  - the same 200 views with LOD, one HTTP request per tile (`?tiles=http`: at most six at once,
//    as the browser allows per host), against the streamed tile batches serve mode uses;
//  - 1,000 steps with a small texture budget (64 MiB) to check that the LRU holds the budget
//    and that no texture leaks.
// Per step: time from the view change to every visible tile of the chosen level on screen
// (polled once per animation frame), texture bytes sampled every frame. Frame time is the
// viewer's own work per frame (scene update + render submission). Tiles fetched are compared
// with the minimum: the distinct visible tiles of the chosen level over the session.
// Headless Chromium renders WebGL in software (SwiftShader): absolute times are pessimistic.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { imagePoint } from '../../src-renderer/viewer/coords';
import { selectLevel } from '../../src-renderer/viewer/lod';
import { planTiles } from '../../src-renderer/viewer/tilePriority';
import { tileKeyString } from '../../src-renderer/viewer/tileGrid';
import { launchChromium } from '../e2e/support/browser';
import { repoRoot, startServedApp } from '../e2e/support/servedApp';
import { encodeTestTiff } from '../generators/tiff/tiffWriter';
import type {} from '../../src-renderer/viewer/testHook';

const SIDE = 10_240;
const STEPS = Number(process.env.MICRA_BENCH_STEPS ?? 200);
const LEAK_STEPS = Number(process.env.MICRA_BENCH_LEAK_STEPS ?? 1000);
const STEP_TIMEOUT_MS = 15_000;

interface View {
  x: number;
  y: number;
  scale: number;
}

/** A deterministic session: pans, zooms by 2 in and out, and jumps, between fit and 400 %. */
function session(steps: number, width: number, height: number, seed: number): View[] {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const fit = Math.min(width / SIDE, height / SIDE);
  const clampScale = (v: number): number => Math.min(4, Math.max(fit, v));
  const clampXY = (v: number): number => Math.min(SIDE, Math.max(0, v));
  let v: View = { x: SIDE / 2, y: SIDE / 2, scale: fit };
  const views: View[] = [];
  for (let i = 0; i < steps; i++) {
    const r = rnd();
    if (r < 0.45) {
      // Pan by up to half a screen.
      v = { ...v, x: clampXY(v.x + ((rnd() - 0.5) * width) / v.scale), y: clampXY(v.y + ((rnd() - 0.5) * height) / v.scale) };
    } else if (r < 0.85) {
      v = { ...v, scale: clampScale(v.scale * (rnd() < 0.5 ? 2 : 0.5)) };
    } else {
      v = { x: rnd() * SIDE, y: rnd() * SIDE, scale: clampScale(fit * 2 ** (rnd() * Math.log2(4 / fit))) };
    }
    views.push(v);
  }
  return views;
}

/** The fewest tiles any viewer could fetch: each distinct visible tile of the right level once. */
function minimumTiles(views: View[], width: number, height: number, levelSizes: [number, number][], lod: boolean): number {
  const keys = new Set<string>();
  const opening: View = { x: SIDE / 2, y: SIDE / 2, scale: Math.min(width / SIDE, height / SIDE) };
  for (const v of [opening, ...views]) {
    const vp = { center: imagePoint(v.x, v.y), scale: v.scale, width, height, pixelRatio: 1 };
    const level = lod ? selectLevel(v.scale, levelSizes.length) : 0;
    for (const t of planTiles(vp, level, { levelSizes, tileSize: 512 }, null).visible) keys.add(tileKeyString(t));
  }
  return keys.size;
}

interface PassResult {
  steps: number;
  timeouts: number;
  toTilesMs: number[];
  maxTextureBytes: number;
  budgetBytes: number;
  liveTexturesEnd: number;
  gpuTexturesEnd: number;
  gpuTexturesMax: number;
  textureBytesEnd: number;
  frames: { frames: number; medianMs: number; p95Ms: number; maxMs: number };
  loader: { started: number; completed: number; aborted: number; missing: number; failed: number };
  viewport: { width: number; height: number };
}

/** Empties the browser's HTTP cache (tiles are served with max-age): the next pass fetches from the server. */
async function clearHttpCache(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
}

async function openViewer(page: Page, url: string, query: string): Promise<{ width: number; height: number }> {
  const u = new URL(url);
  for (const [k, v] of new URLSearchParams(query)) u.searchParams.set(k, v);
  u.hash = 'image=1';
  await page.goto(u.toString());
  await page.waitForFunction(() => window.__micraViewer?.getState().imageId === 1, undefined, { timeout: 60_000 });
  const st = await page.evaluate(() => window.__micraViewer!.getState());
  return { width: st.width, height: st.height };
}

/** Runs the views in the page: set the view, then wait (one check per frame) for every visible tile. */
function runPass(page: Page, views: View[]): Promise<PassResult> {
  return page.evaluate(
    async ({ views, timeoutMs }) => {
      const hook = window.__micraViewer!;
      hook.resetFrameStats();
      const toTilesMs: number[] = [];
      let timeouts = 0;
      let maxTextureBytes = 0;
      let gpuTexturesMax = 0;
      for (const v of views) {
        const t0 = performance.now();
        hook.setView(v.x, v.y, v.scale);
        for (;;) {
          // (no named helper functions in here: tsx would wrap them in a __name the page lacks)
          await new Promise((r) => requestAnimationFrame(r));
          const st = hook.getState();
          maxTextureBytes = Math.max(maxTextureBytes, st.textureBytes);
          gpuTexturesMax = Math.max(gpuTexturesMax, st.gpuTextures);
          if (st.pendingTiles === 0) {
            toTilesMs.push(performance.now() - t0);
            break;
          }
          if (performance.now() - t0 > timeoutMs) {
            timeouts++;
            toTilesMs.push(timeoutMs); // counted (as at least the timeout) in the percentiles
            break;
          }
        }
      }
      // Counted from the page load (each pass runs in a fresh page): the opening fit view's
      // tiles are part of the session, and of the minimum below.
      const end = hook.loaderStats();
      const st = hook.getState();
      return {
        steps: views.length,
        timeouts,
        toTilesMs,
        maxTextureBytes,
        budgetBytes: st.textureBudgetBytes,
        liveTexturesEnd: st.liveTextures,
        gpuTexturesEnd: st.gpuTextures,
        gpuTexturesMax,
        textureBytesEnd: st.textureBytes,
        frames: hook.frameStats(),
        loader: end,
        viewport: { width: st.width, height: st.height },
      };
    },
    { views, timeoutMs: STEP_TIMEOUT_MS },
  );
}

const quantile = (values: number[], q: number): number => {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? (v[Math.min(v.length - 1, Math.floor(q * v.length))] as number) : NaN;
};
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

function summary(p: PassResult, minimum: number) {
  return {
    steps: p.steps,
    /** Steps whose tiles were not all on screen within 15 s (counted as 15 s below). */
    stepTimeouts: p.timeouts,
    frameMs: { frames: p.frames.frames, median: round(p.frames.medianMs), p95: round(p.frames.p95Ms), max: round(p.frames.maxMs) },
    viewChangeToTilesMs: { median: round(quantile(p.toTilesMs, 0.5)), p95: round(quantile(p.toTilesMs, 0.95)), max: round(Math.max(...p.toTilesMs)) },
    textureBytes: { max: p.maxTextureBytes, budget: p.budgetBytes, neverAboveBudget: p.maxTextureBytes <= p.budgetBytes },
    tiles: { fetched: p.loader.started, completed: p.loader.completed, aborted: p.loader.aborted, minimumNeeded: minimum, fetchedPerNeeded: round(p.loader.started / minimum, 3) },
    textures: { cachedAtEnd: p.liveTexturesEnd, onGpuAtEnd: p.gpuTexturesEnd, onGpuMax: p.gpuTexturesMax },
  };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'micra-bench-viewer-'));
  const projectDir = path.join(work, 'project');
  const tiff = path.join(work, 'sem-10240.tif');
  try {
    // SEM-like content: structure plus noise (uncompressed: the viewer, not the import, is measured).
    const samples = new Uint8Array(SIDE * SIDE);
    let seed = 7;
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        samples[y * SIDE + x] = (((x >> 6) + (y >> 6)) & 1 ? 150 : 90) + ((x * y) >> 12 & 31) + ((seed >> 16) & 15);
      }
    writeFileSync(tiff, encodeTestTiff([{ width: SIDE, height: SIDE, channels: 1, bits: 8, samples, rowsPerStrip: 64 }]));
    const t0 = performance.now();
    execFileSync(process.execPath, [path.join(repoRoot, 'bin/micra.js'), 'import', '--project', projectDir, tiff], { stdio: ['ignore', 'ignore', 'inherit'] });
    const importMs = performance.now() - t0;

    const served = await startServedApp(['--project', projectDir]);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
      page.on('pageerror', (err) => console.error('page error:', err));
      const { width, height } = await openViewer(page, served.url, '');
      const levels: [number, number][] = [];
      for (let s = SIDE; ; s = Math.ceil(s / 2)) {
        levels.push([s, s]);
        if (s <= 512) break;
      }
      const views = session(STEPS, width, height, 42);

      // Warm-up: read every tile either pass will ask for, so both measure a warm store.
      await runPass(page, views);
      await openViewer(page, served.url, 'lod=off');
      await runPass(page, views);

      await clearHttpCache(page);
      await openViewer(page, served.url, '');
      const lod = await runPass(page, views);
      await clearHttpCache(page);
      await openViewer(page, served.url, 'lod=off');
      const noLod = await runPass(page, views);

      await clearHttpCache(page);
      await openViewer(page, served.url, 'tiles=http');
      const overHttp = await runPass(page, views);

      await clearHttpCache(page);
      await openViewer(page, served.url, 'textureBudgetMb=64');
      const leakViews = session(LEAK_STEPS, width, height, 4242);
      const leak = await runPass(page, leakViews);

      const lodSummary = summary(lod, minimumTiles(views, width, height, levels, true));
      const baseSummary = summary(noLod, minimumTiles(views, width, height, levels, false));
      const httpSummary = summary(overHttp, minimumTiles(views, width, height, levels, true));
      const ratio = (a: number, b: number): number => round(a / b, 3);
      console.log(
        JSON.stringify(
          {
            bench: 'viewer',
            image: { width: SIDE, height: SIDE, bitsPerSample: 8, levels: levels.length },
            importMs: Math.round(importMs),
            canvas: { width, height },
            renderer: 'headless Chromium, WebGL in software (SwiftShader): absolute times are pessimistic',
            lod: lodSummary,
            baselineNoLod: baseSummary,
            lodVsBaseline: {
              frameMsP95: ratio(lodSummary.frameMs.p95, baseSummary.frameMs.p95),
              viewChangeToTilesMsP95: ratio(lodSummary.viewChangeToTilesMs.p95, baseSummary.viewChangeToTilesMs.p95),
              tilesFetched: ratio(lodSummary.tiles.fetched, baseSummary.tiles.fetched),
            },
            lodTilePerRequest: httpSummary,
            batchesVsTilePerRequest: {
              viewChangeToTilesMsMedian: ratio(lodSummary.viewChangeToTilesMs.median, httpSummary.viewChangeToTilesMs.median),
              viewChangeToTilesMsP95: ratio(lodSummary.viewChangeToTilesMs.p95, httpSummary.viewChangeToTilesMs.p95),
            },
            leakRun: summary(leak, minimumTiles(leakViews, width, height, levels, true)),
            loadAverage: os.loadavg().map((x) => round(x)),
          },
          null,
          2,
        ),
      );
    } finally {
      await browser.close();
      await served.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
