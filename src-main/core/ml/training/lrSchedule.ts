// Learning-rate schedule: linear warm-up to the base rate, then cosine decay to a floor.
// Warm-up keeps Adam's first steps (large normalised updates from a random start) gentle;
// the cosine tail lets the last epochs settle.

export interface LrScheduleOptions {
  baseLr: number;
  totalSteps: number;
  warmupSteps: number;
  /** Final rate as a fraction of the base rate. */
  floorFraction: number;
}

export function learningRateAt(step: number, o: LrScheduleOptions): number {
  if (o.warmupSteps > 0 && step < o.warmupSteps) return (o.baseLr * (step + 1)) / o.warmupSteps;
  const span = Math.max(1, o.totalSteps - o.warmupSteps);
  const t = Math.min(1, Math.max(0, (step - o.warmupSteps) / span));
  const floor = o.baseLr * o.floorFraction;
  return floor + (o.baseLr - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
}
