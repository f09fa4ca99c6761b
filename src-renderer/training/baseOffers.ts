// The Train screen's base-model choice: the offers of training.baseModels grouped for the
// select (bundled default, models trained in this project, imported models), the select's
// value for each choice, and a one-line provenance of a base.
import type { RequestResult } from '../../src-main/api/types';

export type BaseOffer = RequestResult<'training.baseModels'>[number];
export type BaseChoice = BaseOffer['choice'];

/** The select's value: '' (from scratch), 'default' or 'model:ID'. */
export type BaseKey = string;

export const NO_BASE: BaseKey = '';

export function baseKey(choice: BaseChoice): BaseKey {
  return choice.kind === 'default' ? 'default' : `model:${choice.id}`;
}

export function choiceOfKey(key: BaseKey): BaseChoice | null {
  if (key === 'default') return { kind: 'default' };
  const m = /^model:(\d+)$/.exec(key);
  return m ? { kind: 'model', id: Number(m[1]) } : null;
}

export interface OfferGroup {
  label: string;
  offers: BaseOffer[];
}

export function groupOffers(offers: readonly BaseOffer[]): OfferGroup[] {
  const groups: OfferGroup[] = [
    { label: 'Bundled', offers: offers.filter((o) => o.origin === 'bundled') },
    { label: 'Trained in this project', offers: offers.filter((o) => o.origin === 'trained') },
    { label: 'Imported', offers: offers.filter((o) => o.origin === 'imported') },
  ];
  return groups.filter((g) => g.offers.length > 0);
}

/** "Default model (bundled) · Axon DAB" — with the id for project models, whose names may repeat. */
export function offerLabel(o: BaseOffer): string {
  const id = o.choice.kind === 'model' ? `#${o.choice.id} ` : '';
  return `${id}${o.name} · ${o.classes.join(', ')}`;
}

/** Where the base comes from, in a line: "trained 2026-11-25 on wasm, 2 epochs, from scratch". */
export function provenanceLine(o: BaseOffer): string {
  const p = o.provenance;
  const parts: string[] = [];
  if (o.origin === 'bundled') parts.push('ships with the app');
  if (o.origin === 'imported') parts.push(p.importedFrom ? `imported from ${p.importedFrom}` : 'imported');
  if (p.trainedAt) parts.push(`trained ${p.trainedAt.slice(0, 10)}`);
  if (p.backend) parts.push(`on ${p.backend}`);
  if (p.epochs !== null) parts.push(`${p.epochs} epoch${p.epochs === 1 ? '' : 's'}`);
  parts.push(p.baseName ? `fine-tuned from ${p.baseName}` : p.parent ? `fine-tuned from model ${p.parent}` : 'from scratch');
  return parts.join(', ');
}
