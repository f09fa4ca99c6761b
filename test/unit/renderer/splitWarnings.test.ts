import { describe, expect, it } from 'vitest';
import { emptySplitWarnings, type SplitStats } from '../../../src-renderer/training/splitWarnings';

const counts = (present: number, absent = 0, reviewAccepted = 0, reviewDeclined = 0) => ({ present, absent, reviewAccepted, reviewDeclined });

function stats(validation: ReturnType<typeof counts>, test: ReturnType<typeof counts>, images: Partial<SplitStats['images']> = {}): SplitStats {
  return {
    classes: [{ splits: { train: counts(5, 5), validation, test } }],
    images: { train: [1], validation: [2], test: [3], ...images },
  };
}

describe('emptySplitWarnings', () => {
  it('says nothing when validation and test both have labels, review decisions included', () => {
    expect(emptySplitWarnings(stats(counts(1), counts(0, 0, 0, 1)))).toEqual([]);
  });

  it('names each empty split, what it costs, and where to label', () => {
    const w = emptySplitWarnings(stats(counts(0), counts(0)));
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/^The validation split has no labels: the best epoch is then chosen on the training loss/);
    expect(w[0]).toContain('label crops on its image');
    expect(w[1]).toMatch(/^The test split has no labels: the model card will have no test figures/);
  });

  it('asks for an image when a split has none', () => {
    const [w] = emptySplitWarnings(stats(counts(0), counts(2), { validation: [] }));
    expect(w).toContain('no image is in the validation split');
  });
});
