// Objects with known shapes on an image of a project: suggestions with masks (discs and a
// square) decided through the review service (accepted, declined, later, one left pending) and
// one region the expert added. Shared by the export integration test and the measurement e2e test.
import { decide } from '../../../src-main/core/review/reviewService';
import { encodeMaskRle } from '../../../src-shared/maskRle';
import type { MaskRegion } from '../../../src-main/core/review/maskRegion';
import type { ProjectStore } from '../../../src-main/core/project/projectStore';

export type SeedDecision = 'pending' | 'accepted' | 'declined' | 'later' | 'added';

export interface SeededObject {
  kind: 'suggestion' | 'annotation';
  id: number;
  imageId: number;
  classId: number;
  decision: SeedDecision;
  actor: string | null;
  score: number | null;
  /** Tight box and mask. */
  region: MaskRegion;
  area: number;
}

export function discRegion(cx: number, cy: number, r: number): MaskRegion {
  const x0 = Math.floor(cx - r);
  const y0 = Math.floor(cy - r);
  const side = Math.ceil(2 * r) + 1;
  const mask = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) if ((x0 + x + 0.5 - cx) ** 2 + (y0 + y + 0.5 - cy) ** 2 <= r * r) mask[y * side + x] = 1;
  // Tight: the disc touches every side of this box for these radii (r ≥ 5, centres on .0).
  return { x: x0, y: y0, width: side, height: side, mask };
}

function tight(region: MaskRegion): MaskRegion {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < region.height; y++)
    for (let x = 0; x < region.width; x++)
      if (region.mask[y * region.width + x]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) mask[y * width + x] = region.mask[(y0 + y) * region.width + x0 + x]!;
  return { x: region.x + x0, y: region.y + y0, width, height, mask };
}

const area = (r: MaskRegion) => r.mask.reduce((s, v) => s + v, 0);

/** Seeds six objects on `imageId` (which must be at least 1000 × 720). */
export function seedObjects(store: ProjectStore, imageId: number): SeededObject[] {
  const cls = store.classes.list()[0] ?? store.classes.create('marker', '#ffcc00');
  const model = store.models.insert({ name: 'seed', parentId: null, dir: `models/seed-${imageId}`, origin: 'imported', status: 'ready', card: {} });
  const plans: Array<{ region: MaskRegion; score: number; decision: SeedDecision; actor: string | null }> = [
    { region: discRegion(200, 200, 30), score: 0.97, decision: 'accepted', actor: 'alice' },
    { region: discRegion(600, 300, 20), score: 0.91, decision: 'declined', actor: 'bob' },
    { region: { x: 780, y: 560, width: 40, height: 40, mask: new Uint8Array(1600).fill(1) }, score: 0.85, decision: 'pending', actor: null },
    { region: discRegion(400, 550, 45), score: 0.8, decision: 'accepted', actor: 'bob' },
    { region: discRegion(900, 150, 15), score: 0.7, decision: 'later', actor: 'alice' },
  ];
  const out: SeededObject[] = [];
  for (const p of plans) {
    const [id] = store.suggestions.insertMany([{ imageId, classId: cls.id, modelId: model.id, runJobId: null, x: p.region.x, y: p.region.y, width: p.region.width, height: p.region.height, score: p.score }]);
    store.suggestions.setMask(id!, p.region.mask, p.region.width, p.region.height);
    if (p.decision !== 'pending') {
      const action = ({ accepted: 'accept', declined: 'decline', later: 'later' } as const)[p.decision as 'accepted' | 'declined' | 'later'];
      decide(store, { suggestionId: id!, action, shownRect: null, actor: p.actor! });
    }
    const region = tight(p.region);
    out.push({ kind: 'suggestion', id: id!, imageId, classId: cls.id, decision: p.decision, actor: p.actor, score: p.score, region, area: area(region) });
  }
  // A region the expert added (as review.addRegion stores it).
  const added = discRegion(120, 650, 25);
  const annotationId = store.transaction(() => {
    const id = Number(store.db.prepare("INSERT INTO annotations (image_id, class_id, shape) VALUES (?, ?, 'polygon')").run(imageId, cls.id).lastInsertRowid);
    store.decisions.append({
      actor: 'carol', targetKind: 'annotation', targetId: id, classId: cls.id, action: 'add', modelId: model.id,
      payload: { box: [added.x, added.y, added.width, added.height], mask: encodeMaskRle(added.mask, added.width, added.height), score: null, shownRect: null },
    });
    return id;
  });
  const region = tight(added);
  out.push({ kind: 'annotation', id: annotationId, imageId, classId: cls.id, decision: 'added', actor: 'carol', score: null, region, area: area(region) });
  return out;
}
