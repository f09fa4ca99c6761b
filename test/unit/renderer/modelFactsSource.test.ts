// The models list shows where an imported zoo model came from (file › group/model), as its
// card's provenance.source records it, and nothing for models without one.
import { describe, expect, it } from 'vitest';
import { modelFacts, type ModelLike } from '../../../src-renderer/training/modelFacts';

const model = (provenance: Record<string, unknown>): ModelLike => ({
  id: 1,
  name: 'EMModelZoo MICRANet-1:5/network',
  parentId: null,
  origin: 'imported',
  status: 'ready',
  card: { classes: ['class 1'], classThresholds: [0.42], inputSize: 256, inChannels: 1, provenance },
  datasetSnapshot: { importedFrom: '/zoos/EMModelZoo.hdf5' },
  metrics: null,
  createdAt: '2025-01-02T03:04:05.000Z',
  trainingOutcome: null,
});

describe('model facts of a zoo model', () => {
  it('name the zoo file, its group and model', () => {
    const facts = modelFacts(model({ backend: 'PyTorch (original MICRA-Net code)', source: { format: 'micranet-zoo-hdf5', file: 'EMModelZoo.hdf5', group: 'MICRANet-1:5', model: 'network', trainerParams: {} } }), () => null);
    const byLabel = Object.fromEntries(facts.map((f) => [f.label, f.value]));
    expect(byLabel).toMatchObject({ source: 'EMModelZoo.hdf5 › MICRANet-1:5/network', backend: 'PyTorch (original MICRA-Net code)', classes: 'class 1 (t = 0.42)', input: '256² px, 1 channel(s)' });
  });

  it('are absent for a model without a source', () => {
    expect(modelFacts(model({ backend: 'wasm' }), () => null).map((f) => f.label)).not.toContain('source');
  });
});
