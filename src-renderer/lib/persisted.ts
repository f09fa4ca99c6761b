// What the renderer remembers across reloads (everything else comes from the server).
import type { DisplaySettings } from '../viewer/contrast';

const LAST_PROJECT = 'micra.lastProject';

export function lastProject(): string | null {
  return localStorage.getItem(LAST_PROJECT);
}

export function rememberProject(dir: string | null): void {
  if (dir) localStorage.setItem(LAST_PROJECT, dir);
  else localStorage.removeItem(LAST_PROJECT);
}

const displayKey = (projectDir: string, imageId: number): string => `micra.display:${projectDir}:${imageId}`;

export function loadDisplay(projectDir: string, imageId: number): DisplaySettings | null {
  const raw = localStorage.getItem(displayKey(projectDir, imageId));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Partial<DisplaySettings>;
    if (typeof d.min === 'number' && typeof d.max === 'number' && typeof d.gamma === 'number' && typeof d.invert === 'boolean') {
      return { min: d.min, max: d.max, gamma: d.gamma, invert: d.invert };
    }
  } catch {
    // A corrupt entry is ignored; the defaults apply.
  }
  return null;
}

export function saveDisplay(projectDir: string, imageId: number, d: DisplaySettings): void {
  localStorage.setItem(displayKey(projectDir, imageId), JSON.stringify(d));
}

/** The selected image lives in the URL hash, so a reload shows the same image. */
export function selectedImageFromHash(): number | null {
  const m = /image=(\d+)/.exec(window.location.hash);
  return m ? Number(m[1]) : null;
}

export function setSelectedImageHash(id: number | null): void {
  const hash = id === null ? '' : `#image=${id}`;
  if (window.location.hash !== hash) history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
}
