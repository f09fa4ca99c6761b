import { describe, expect, it } from 'vitest';
import { isKeyHelpKey, keyHelp } from '../../../src-renderer/lib/keyHelp';
import { PROJECT_MODES } from '../../../src-renderer/training/projectMode';
import { REVIEW_KEY_LEGEND } from '../../../src-renderer/review/reviewKeys';

describe('keyHelp', () => {
  it('lists, in every mode, at least how to close the list', () => {
    for (const { mode } of PROJECT_MODES) expect(keyHelp(mode).flatMap((g) => g.rows.map((r) => r.keys))).toContain('?');
  });

  it("gives a mode's own keys first: Review's legend, the crop grid's, the viewer's 1:1", () => {
    expect(keyHelp('review')[0]!.rows).toEqual(REVIEW_KEY_LEGEND.map((r) => ({ keys: r.keys, what: r.what })));
    expect(keyHelp('label')[0]!.rows[0]).toEqual({ keys: 'Y / 1', what: 'present' });
    expect(keyHelp('view').flatMap((g) => g.rows)).toContainEqual({ keys: '1', what: '1:1 (one image pixel per screen pixel)' });
    // The snapshot key, wherever the viewer is.
    for (const mode of ['view', 'review', 'measure'] as const) expect(keyHelp(mode).flatMap((g) => g.rows.map((r) => r.keys))).toContain('C');
  });

  it('opens on ? but not while typing', () => {
    const key = (k: string, tagName?: string) => ({ key: k, target: tagName ? ({ tagName } as unknown as EventTarget) : null, ctrlKey: false, metaKey: false, altKey: false });
    expect(isKeyHelpKey(key('?'))).toBe(true);
    expect(isKeyHelpKey(key('?', 'INPUT'))).toBe(false);
    expect(isKeyHelpKey(key('/'))).toBe(false);
  });
});
