// Which screen of an open project is shown (viewer, crop labelling, training, review, measure,
// overview), and the crop size the project labels at. Both survive a reload (per project, in
// localStorage); the data itself always comes from the server.

export type ProjectMode = 'view' | 'label' | 'train' | 'review' | 'measure' | 'overview';

export const PROJECT_MODES: readonly { mode: ProjectMode; label: string }[] = [
  { mode: 'view', label: 'View' },
  { mode: 'label', label: 'Label crops' },
  { mode: 'train', label: 'Train' },
  { mode: 'review', label: 'Review' },
  { mode: 'measure', label: 'Measure' },
  { mode: 'overview', label: 'Overview' },
];

const modeKey = (projectDir: string): string => `micra.mode:${projectDir}`;
const cropSizeKey = (projectDir: string): string => `micra.cropSize:${projectDir}`;

export function loadMode(projectDir: string): ProjectMode {
  const m = localStorage.getItem(modeKey(projectDir));
  return PROJECT_MODES.some((p) => p.mode === m) ? (m as ProjectMode) : 'view';
}

export function saveMode(projectDir: string, mode: ProjectMode): void {
  localStorage.setItem(modeKey(projectDir), mode);
}

/** The crop sizes offered; the model's input size is added when it is another one. */
export const CROP_SIZES: readonly number[] = [128, 256, 512];
export const DEFAULT_CROP_SIZE = 256;

/**
 * The crop size to label at: the user's choice for this project, else the active model's input
 * size, else the training default (256, what training.start uses without a model).
 */
export function labelCropSize(projectDir: string, activeModelInputSize: number | null): number {
  const saved = Number(localStorage.getItem(cropSizeKey(projectDir)));
  if (Number.isInteger(saved) && saved >= 8) return saved;
  return activeModelInputSize ?? DEFAULT_CROP_SIZE;
}

export function saveCropSize(projectDir: string, size: number): void {
  localStorage.setItem(cropSizeKey(projectDir), String(size));
}

/** The input size recorded in a model card, or null. */
export function cardInputSize(card: Record<string, unknown>): number | null {
  const s = card.inputSize;
  return typeof s === 'number' && Number.isInteger(s) && s > 0 ? s : null;
}
