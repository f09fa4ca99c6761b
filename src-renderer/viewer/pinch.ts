// Two-pointer pinch: from the previous and current positions of both fingers, the pan (the
// midpoint's movement) and the zoom factor (the ratio of the finger distances) around the new
// midpoint. Applying pan then zoom keeps the image point under each finger under it.
import type { ScreenPoint } from './coords';
import { screenPoint } from './coords';

export interface PinchPair {
  readonly a: ScreenPoint;
  readonly b: ScreenPoint;
}

export interface PinchStep {
  readonly panX: number;
  readonly panY: number;
  readonly factor: number;
  readonly anchor: ScreenPoint;
}

const mid = (p: PinchPair): ScreenPoint => screenPoint((p.a.x + p.b.x) / 2, (p.a.y + p.b.y) / 2);
const span = (p: PinchPair): number => Math.hypot(p.a.x - p.b.x, p.a.y - p.b.y);

export function pinchStep(prev: PinchPair, next: PinchPair): PinchStep {
  const m0 = mid(prev);
  const m1 = mid(next);
  const d0 = span(prev);
  const d1 = span(next);
  // Fingers on the same spot carry no scale information: pan only.
  const factor = d0 > 1 && d1 > 1 ? d1 / d0 : 1;
  return { panX: m1.x - m0.x, panY: m1.y - m0.y, factor, anchor: m1 };
}
