// Test files written by Python's tifffile itself, as scikit-image and napari scripts write them
// (its own layouts, tags and extensions such as ResolutionUnit 5), rather than our idea of them.
// A missing tifffile fails the test with the reason instead of skipping it: CI installs
// python3-tifffile (.ci/run).
import { spawnSync } from 'node:child_process';

/** Interpreters tried in turn: $MICRA_PYTHON, the one on PATH, then Debian's (where apt installs tifffile). */
const CANDIDATES = [process.env.MICRA_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);

let found: string | null = null;

function pythonWithTifffile(): string {
  if (found) return found;
  const tried: string[] = [];
  for (const python of CANDIDATES) {
    const probe = spawnSync(python, ['-c', 'import numpy, tifffile; print(tifffile.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return (found = python);
    tried.push(`${python}: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}`);
  }
  throw new Error(`This test writes its TIFF with Python's tifffile, which was not found (install the Debian packages python3-tifffile and python3-numpy, or set MICRA_PYTHON). Tried:\n${tried.join('\n')}`);
}

/**
 * Runs `script` with `numpy as np` and `tifffile` imported and `path` set to `filePath`; the
 * script writes the file.
 */
export function writeWithTifffile(filePath: string, script: string): void {
  const python = pythonWithTifffile();
  const program = `import sys\nimport numpy as np\nimport tifffile\npath = sys.argv[1]\n${script}\n`;
  const run = spawnSync(python, ['-c', program, filePath], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tifffile could not write ${filePath}: ${run.stderr || run.error?.message}`);
}

/** numpy for the test pattern of tiffVariants' pattern8, as a Python expression of `h` and `w`. */
export const PATTERN8_NUMPY = '(lambda y, x: ((x * 3 + y * 5 + ((x ^ y) & 31)) & 255).astype(np.uint8))(*np.mgrid[0:h, 0:w])';
