// Evaluation metrics: classification, segmentation (F1/Dice, IoU, symmetric boundary Dice),
// detection (Hungarian matching of centroids) and precision–recall curves. Pure functions over
// typed arrays; no I/O.
export * from './binaryMask';
export * from './rates';
export * from './segmentation';
export * from './boundaryDice';
export * from './hungarian';
export * from './detection';
export * from './classification';
export * from './precisionRecall';
