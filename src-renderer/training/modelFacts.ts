// A model's card as rows of facts for the models list: provenance, dataset snapshot,
// parameters, backend, duration and metrics. The card, snapshot and metrics are stored as
// free-form JSON (bundled, imported and trained models carry different fields), so every field
// is read defensively and a missing one is simply not shown.
import { formatDuration } from './trainingStatus';

export interface ModelLike {
  readonly id: number;
  readonly name: string;
  readonly parentId: number | null;
  readonly origin: string;
  readonly status: string;
  readonly card: Record<string, unknown>;
  readonly datasetSnapshot: unknown;
  readonly metrics: unknown;
  readonly createdAt: string;
  readonly trainingOutcome: string | null;
}

export interface Fact {
  readonly label: string;
  readonly value: string;
}

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4).replace(/\.?0+$/, '');
}

/** The class names of a card with their thresholds: "Axon (t = 0.42)". */
export function classesWithThresholds(card: Record<string, unknown>): { name: string; threshold: number | null }[] {
  const names = Array.isArray(card.classes) ? card.classes : [];
  const thresholds = Array.isArray(card.classThresholds) ? card.classThresholds : [];
  return names.map((n, i) => ({ name: typeof n === 'string' ? n : `class ${i}`, threshold: num(thresholds[i]) }));
}

export function modelFacts(m: ModelLike, nameOf: (id: number) => string | null): Fact[] {
  const facts: Fact[] = [];
  const add = (label: string, value: string | null) => {
    if (value !== null) facts.push({ label, value });
  };
  const card = m.card;
  const provenance = obj(card.provenance);
  const metrics = obj(m.metrics);
  const snapshot = obj(m.datasetSnapshot);

  add('origin', m.origin);
  add('status', m.trainingOutcome ? `${m.status} (${m.trainingOutcome})` : m.status);
  add('parent', m.parentId === null ? 'none' : `#${m.parentId}${nameOf(m.parentId) ? ` ${nameOf(m.parentId)}` : ''}`);
  // The base a fine-tuned model started from, as its card records it (weights digest shortened).
  const base = obj(provenance?.base);
  const baseName = str(base?.name);
  if (base && baseName) {
    const sha = str(base.sha256);
    const fresh = Array.isArray(base.newHeadRows) ? base.newHeadRows.filter((c): c is string => typeof c === 'string') : [];
    add('base', `${baseName}${sha ? ` (sha256 ${sha.slice(0, 12)}…)` : ''}${fresh.length > 0 ? `; new head rows: ${fresh.join(', ')}` : ''}`);
  }
  // A model imported from a zoo of the original MICRA-Net code: the file, group and model.
  const source = obj(provenance?.source);
  const sourceFile = str(source?.file);
  if (source && sourceFile) add('source', `${sourceFile}${str(source.group) ? ` › ${str(source.group)}` : ''}${str(source.model) ? `/${str(source.model)}` : ''}`);
  add('created', m.createdAt.replace('T', ' ').slice(0, 19));
  const input = num(card.inputSize);
  add('input', input === null ? null : `${input}² px, ${num(card.inChannels) ?? 1} channel(s)`);
  const classes = classesWithThresholds(card);
  if (classes.length > 0) add('classes', classes.map((c) => (c.threshold === null ? c.name : `${c.name} (t = ${c.threshold.toFixed(2)})`)).join(', '));
  add('backend', str(metrics?.backend) ?? str(provenance?.backend));
  const seconds = num(metrics?.seconds);
  add('duration', seconds === null ? null : formatDuration(seconds));
  const epochs = num(metrics?.epochs) ?? num(provenance?.epochs);
  const bestEpoch = num(metrics?.bestEpoch);
  add('epochs', epochs === null ? null : bestEpoch === null ? String(epochs) : `${epochs} (best ${bestEpoch})`);
  if (snapshot) {
    const parts: string[] = [];
    const items = num(snapshot.items);
    if (items !== null) parts.push(`${items} labelled crops`);
    const unl = num(snapshot.unlabelledCandidates);
    if (unl !== null) parts.push(`${unl} unlabelled candidates`);
    const pu = num(snapshot.puRatio);
    if (pu !== null) parts.push(pu === 0 ? 'no unlabelled negatives' : `P:U 1:${pu}`);
    const stats = obj(snapshot.stats);
    const cs = num(stats?.cropSize);
    if (cs !== null) parts.push(`crops ${cs}²`);
    add('dataset', parts.length > 0 ? parts.join(', ') : null);
  }
  const params = obj(provenance?.parameters) ?? obj(card.parameters);
  if (params) add('parameters', Object.entries(params).map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(v) : String(v)}`).join(', '));
  if (metrics) {
    const shown = Object.entries(metrics).filter(([k, v]) => num(v) !== null && !['seconds', 'epochs', 'bestEpoch'].includes(k));
    if (shown.length > 0) add('metrics', shown.map(([k, v]) => `${k.replace(/_/g, ' ')} ${fmt(v as number)}`).join(' · '));
  }
  return facts;
}
