// The training form's values and how they become a training.start request. Fine-tuning modes
// other than 'all' need a base model (the server refuses them without one). The crop size is
// always the one the project labels at: those are the crops there are, and MICRA-Net is fully
// convolutional, so a base trained on another input size fine-tunes at this one.
import type { RequestParams } from '../../src-main/api/types';
import { choiceOfKey, NO_BASE, type BaseKey } from './baseOffers';

export type FineTuneMode = 'all' | 'linear' | 'linear+4' | 'linear+3-4';

export const FINE_TUNE_MODES: readonly { mode: FineTuneMode; label: string }[] = [
  { mode: 'all', label: 'all layers' },
  { mode: 'linear', label: 'linear only' },
  { mode: 'linear+4', label: 'linear + depth 4' },
  { mode: 'linear+3-4', label: 'linear + depths 3–4' },
];

/** Unlabelled crops per positive; the paper found 1:5 to 1:16 best for sparse SEM markers. */
export const PU_RATIOS: readonly number[] = [0, 5, 8, 12, 16];

export interface TrainingForm {
  mode: FineTuneMode;
  epochs: number;
  puRatio: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  /** baseOffers.ts: '' (from scratch), 'default' or 'model:ID'. */
  base: BaseKey;
  name: string;
}

export const DEFAULT_TRAINING_FORM: TrainingForm = {
  mode: 'all',
  epochs: 20,
  puRatio: 5,
  learningRate: 0.001,
  batchSize: 8,
  seed: 1,
  base: NO_BASE,
  name: '',
};

/** Why the form cannot start a run, or null when it can. */
export function formProblem(f: TrainingForm): string | null {
  if (!Number.isInteger(f.epochs) || f.epochs < 1 || f.epochs > 1000) return 'Epochs must be a whole number from 1 to 1000.';
  if (!(f.learningRate > 0 && f.learningRate <= 1)) return 'The learning rate must be in (0, 1].';
  if (!Number.isInteger(f.batchSize) || f.batchSize < 1 || f.batchSize > 256) return 'The batch size must be from 1 to 256.';
  if (!Number.isInteger(f.seed) || f.seed < 0) return 'The seed must be a whole number ≥ 0.';
  if (f.mode !== 'all' && choiceOfKey(f.base) === null) return 'Fine-tuning only some layers needs a base model.';
  return null;
}

/** The training.start request, at the labelling crop size. */
export function startParams(f: TrainingForm, cropSize: number): RequestParams<'training.start'> {
  const base = choiceOfKey(f.base);
  return {
    mode: f.mode,
    epochs: f.epochs,
    puRatio: f.puRatio,
    learningRate: f.learningRate,
    batchSize: f.batchSize,
    seed: f.seed,
    cropSize,
    ...(base ? { base } : {}),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
  };
}
