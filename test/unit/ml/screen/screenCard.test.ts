// The model card's screen field and the files it names: a card keeps a screen whose thresholds
// match its classes and drops one that does not; the screen's file stays inside the model's
// folder (the card is untrusted); a ruled-out crop's recorded score is the screen's, held below
// the run's threshold.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruledOutScore } from '../../../../src-main/core/ml/screen/screenCascade';
import { screenManifestPath } from '../../../../src-main/core/ml/screen/screenFiles';
import { completeModelCard } from '../../../../src-main/core/ml/weights/modelCard';

const screen = {
  file: 'screen/manifest.json', thresholds: [0.02], targetRecall: 0.99, recall: [1], passRate: [0.12], heldOutCrops: 678,
  heldOutPositives: [54], distilledOn: 1808, trainer: 'test', seed: 1, distilledAt: '2026-12-07T12:00:00.000Z',
};

describe('model card screen', () => {
  it('keeps a screen that matches the classes and drops one that does not', () => {
    expect(completeModelCard({ screen }, { inChannels: 1, numClasses: 1 }).screen).toEqual(screen);
    expect(completeModelCard({ screen }, { inChannels: 1, numClasses: 2 }).screen).toBeUndefined();
    expect(completeModelCard({}, { inChannels: 1, numClasses: 1 }).screen).toBeUndefined();
    expect(() => completeModelCard({ screen: { ...screen, thresholds: [1.5] } }, { inChannels: 1, numClasses: 1 })).toThrow(/malformed/);
  });

  it('resolves the screen inside the model folder only', () => {
    const manifest = path.resolve('/models/m1/manifest.json');
    expect(screenManifestPath(manifest)).toBe(path.resolve('/models/m1/screen/manifest.json'));
    expect(() => screenManifestPath(manifest, '../m2/screen/manifest.json')).toThrow(/outside/);
    expect(() => screenManifestPath(manifest, '/etc/passwd')).toThrow(/outside/);
  });

  it('records a ruled-out crop below the run threshold', () => {
    expect(ruledOutScore(0.01, 0.85)).toBe(0.01);
    expect(ruledOutScore(0.9, 0.85)).toBeLessThan(0.85);
    expect(ruledOutScore(0.9, 0.85)).toBeCloseTo(0.85, 5);
  });
});
