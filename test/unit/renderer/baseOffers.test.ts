// The Train screen's base-model choice: select values, groups and the provenance line.
import { describe, expect, it } from 'vitest';
import { baseKey, choiceOfKey, groupOffers, offerLabel, provenanceLine, type BaseOffer } from '../../../src-renderer/training/baseOffers';

const offer = (o: Partial<BaseOffer> & Pick<BaseOffer, 'choice' | 'origin' | 'name'>): BaseOffer => ({
  modelId: null,
  classes: ['Axon DAB'],
  inputSize: 256,
  provenance: { trainedAt: null, parent: null, backend: null, epochs: null, importedFrom: null, baseName: null },
  classPlan: { sameClasses: true, classes: ['Axon DAB'], newHeadRows: [], message: '' },
  ...o,
});

describe('base offers', () => {
  it('round-trips a choice through the select value', () => {
    expect(baseKey({ kind: 'default' })).toBe('default');
    expect(baseKey({ kind: 'model', id: 12 })).toBe('model:12');
    expect(choiceOfKey('default')).toEqual({ kind: 'default' });
    expect(choiceOfKey('model:12')).toEqual({ kind: 'model', id: 12 });
    expect(choiceOfKey('')).toBeNull();
    expect(choiceOfKey('model:x')).toBeNull();
  });

  it('groups bundled, trained and imported bases, leaving out empty groups', () => {
    const offers = [
      offer({ choice: { kind: 'default' }, origin: 'bundled', name: 'Default model (bundled)' }),
      offer({ choice: { kind: 'model', id: 4 }, origin: 'imported', name: 'lab model' }),
    ];
    expect(groupOffers(offers).map((g) => [g.label, g.offers.map((o) => o.name)])).toEqual([
      ['Bundled', ['Default model (bundled)']],
      ['Imported', ['lab model']],
    ]);
    expect(offerLabel(offers[0]!)).toBe('Default model (bundled) · Axon DAB');
    expect(offerLabel(offers[1]!)).toBe('#4 lab model · Axon DAB');
  });

  it('says where a base comes from', () => {
    const bundled = offer({
      choice: { kind: 'default' },
      origin: 'bundled',
      name: 'Default model (bundled)',
      provenance: { trainedAt: '2026-11-25T13:42:34.972Z', parent: null, backend: 'wasm', epochs: 2, importedFrom: null, baseName: null },
    });
    expect(provenanceLine(bundled)).toBe('ships with the app, trained 2026-11-25, on wasm, 2 epochs, from scratch');
    const imported = offer({
      choice: { kind: 'model', id: 3 },
      origin: 'imported',
      name: 'x',
      provenance: { trainedAt: null, parent: '1', backend: null, epochs: 1, importedFrom: '/data/x', baseName: 'Default model (bundled)' },
    });
    expect(provenanceLine(imported)).toBe('imported from /data/x, 1 epoch, fine-tuned from Default model (bundled)');
  });
});
