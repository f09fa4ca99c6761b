// Test zoos written by h5py, as the original MICRA-Net code writes them (write_micranet_zoo.py),
// from the reference fixture's weights. A missing h5py fails the test with the reason instead of
// skipping it: CI installs python3-h5py (.ci/run).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Interpreters tried in turn: $MICRA_PYTHON, the one on PATH, then Debian's (where apt installs h5py). */
const CANDIDATES = [process.env.MICRA_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
const SCRIPT = path.join(import.meta.dirname, 'write_micranet_zoo.py');

export interface ZooModelSpec {
  name: string;
  drop?: string[];
  reshape?: Record<string, number[]>;
  as_string?: string[];
  as_int?: string[];
  nan?: string[];
  float64?: string[];
  extra?: Record<string, number[]>;
  /** h5py's compression of a dataset: gzip (built into HDF5) or lzf (an h5py plugin). */
  compression?: Record<string, 'gzip' | 'lzf'>;
}

export interface ZooGroupSpec {
  name: string;
  /** An object is written as its JSON string (as the original code does), a string as it is. */
  trainer_params?: Record<string, unknown> | string | null;
  class_thresholds?: number[] | null;
  models?: ZooModelSpec[];
}

let found: string | null = null;

function pythonWithH5py(): string {
  if (found) return found;
  const tried: string[] = [];
  for (const python of CANDIDATES) {
    const probe = spawnSync(python, ['-c', 'import numpy, h5py; print(h5py.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return (found = python);
    tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}`);
  }
  throw new Error(`This test writes its model zoo with Python's h5py, which was not found (install the Debian packages python3-h5py and python3-numpy, or set MICRA_PYTHON). Tried:\n${tried.join('\n')}`);
}

/** Writes `out` (an .hdf5 zoo) with the fixture's weights in every model of every group. */
export function writeZooWithH5py(fixtureDir: string, out: string, groups: ZooGroupSpec[]): void {
  const python = pythonWithH5py();
  const spec = `${out}.spec.json`;
  writeFileSync(spec, JSON.stringify({ fixture: fixtureDir, out, groups }));
  const run = spawnSync(python, [SCRIPT, spec], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`h5py could not write ${out}: ${run.stderr || run.error?.message}`);
}
