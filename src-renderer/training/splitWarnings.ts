// What the Train screen says when a split training relies on has no labels. Validation picks the
// best epoch and the class threshold, test gives the figures of the model card: without labels
// there, a run would still report a "best epoch" (chosen on the training loss) and a 0.5
// threshold, so the user is told first.

export type Split = 'train' | 'validation' | 'test';

interface SplitCounts {
  present: number;
  absent: number;
  reviewAccepted: number;
  reviewDeclined: number;
}

export interface SplitStats {
  classes: ReadonlyArray<{ splits: Record<Split, SplitCounts> }>;
  images: Record<Split, readonly number[]>;
}

const ROLE: Record<Exclude<Split, 'train'>, string> = {
  validation: 'the best epoch is then chosen on the training loss (which favours overfitting) and the class threshold stays 0.5',
  test: 'the model card will have no test figures',
};

function labelled(stats: SplitStats, split: Split): number {
  return stats.classes.reduce((n, c) => {
    const s = c.splits[split];
    return n + s.present + s.absent + s.reviewAccepted + s.reviewDeclined;
  }, 0);
}

/** One sentence per split without labels (validation, then test); empty when both have some. */
export function emptySplitWarnings(stats: SplitStats): string[] {
  return (['validation', 'test'] as const).flatMap((split) => {
    if (labelled(stats, split) > 0) return [];
    const where =
      stats.images[split].length === 0
        ? `no image is in the ${split} split: choose one below`
        : `label crops on its image${stats.images[split].length > 1 ? 's' : ''} (splits are by image, chosen below)`;
    return [`The ${split} split has no labels: ${ROLE[split]}. To fix it, ${where}.`];
  });
}
