// Connected-component labelling of a binary mask by breadth-first flood fill with an explicit
// queue (no recursion: regions can hold millions of pixels).
import type { BinaryMask } from '../explain/scalarMap';

export type Connectivity = 4 | 8;

export interface Labelling {
  /** 0 = not in any component (pixel value ≠ `value`), else 1…count. */
  labels: Int32Array;
  count: number;
  /** sizes[label] = pixel count (sizes[0] unused). */
  sizes: Int32Array;
}

/** Labels the components of pixels equal to `value` (1 = foreground, 0 = background). */
export function labelComponents(mask: BinaryMask, connectivity: Connectivity, value: 0 | 1 = 1): Labelling {
  const { width: w, height: h, data } = mask;
  const labels = new Int32Array(w * h);
  const queue = new Int32Array(w * h);
  const sizes: number[] = [0];
  const dx = connectivity === 8 ? [-1, 0, 1, -1, 1, -1, 0, 1] : [0, -1, 1, 0];
  const dy = connectivity === 8 ? [-1, -1, -1, 0, 0, 1, 1, 1] : [-1, 0, 0, 1];
  let count = 0;
  for (let start = 0; start < w * h; start++) {
    if (data[start] !== value || labels[start] !== 0) continue;
    count++;
    labels[start] = count;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    while (head < tail) {
      const p = queue[head++] as number;
      const px = p % w;
      const py = (p - px) / w;
      for (let d = 0; d < dx.length; d++) {
        const nx = px + (dx[d] as number);
        const ny = py + (dy[d] as number);
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const q = ny * w + nx;
        if (data[q] === value && labels[q] === 0) {
          labels[q] = count;
          queue[tail++] = q;
        }
      }
    }
    sizes.push(tail);
  }
  return { labels, count, sizes: Int32Array.from(sizes) };
}
