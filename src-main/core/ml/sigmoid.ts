// A logit as a probability: every score the app shows or compares with a class threshold.
export function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}
