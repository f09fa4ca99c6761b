// Poisson-disc sampling (Bridson, "Fast Poisson disk sampling in arbitrary dimensions", 2007):
// points in a rectangle, no two closer than `radius`, spread until no more fit.
import type { Random } from '../sem/prng';

export interface DiscPoint {
  x: number;
  y: number;
}

export function poissonDiscSample(rand: Random, x0: number, y0: number, x1: number, y1: number, radius: number, attempts = 30): DiscPoint[] {
  const cell = radius / Math.SQRT2;
  const cols = Math.ceil((x1 - x0) / cell);
  const rows = Math.ceil((y1 - y0) / cell);
  const grid = new Int32Array(cols * rows).fill(-1);
  const points: DiscPoint[] = [];
  const active: number[] = [];
  const add = (p: DiscPoint) => {
    grid[Math.floor((p.y - y0) / cell) * cols + Math.floor((p.x - x0) / cell)] = points.length;
    active.push(points.length);
    points.push(p);
  };
  const fits = (p: DiscPoint): boolean => {
    if (p.x < x0 || p.y < y0 || p.x >= x1 || p.y >= y1) return false;
    const gx = Math.floor((p.x - x0) / cell);
    const gy = Math.floor((p.y - y0) / cell);
    for (let j = Math.max(0, gy - 2); j <= Math.min(rows - 1, gy + 2); j++) {
      for (let i = Math.max(0, gx - 2); i <= Math.min(cols - 1, gx + 2); i++) {
        const q = points[grid[j * cols + i] as number];
        if (q && (q.x - p.x) ** 2 + (q.y - p.y) ** 2 < radius * radius) return false;
      }
    }
    return true;
  };
  add({ x: x0 + rand() * (x1 - x0), y: y0 + rand() * (y1 - y0) });
  while (active.length > 0) {
    const slot = Math.floor(rand() * active.length);
    const centre = points[active[slot] as number] as DiscPoint;
    let placed = false;
    for (let k = 0; k < attempts; k++) {
      // Uniform in the annulus [r, 2r) around the active point.
      const rho = radius * Math.sqrt(1 + 3 * rand());
      const phi = 2 * Math.PI * rand();
      const p = { x: centre.x + rho * Math.cos(phi), y: centre.y + rho * Math.sin(phi) };
      if (fits(p)) {
        add(p);
        placed = true;
        break;
      }
    }
    if (!placed) {
      active[slot] = active[active.length - 1] as number;
      active.pop();
    }
  }
  return points;
}
