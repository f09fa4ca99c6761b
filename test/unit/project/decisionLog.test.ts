import { describe, expect, it } from 'vitest';
import { currentDecision, decisionsInEffect } from '../../../src-main/core/project/decisionLog';

const d = (id: number, undoOf: number | null = null) => ({ id, action: undoOf === null ? 'label' : 'undo', undoOf });

describe('decision log derivation', () => {
  it('undo, redo and undo again alternate the original', () => {
    expect([...decisionsInEffect([d(1), d(2, 1)])]).toEqual([2]);
    expect(currentDecision([d(1), d(2, 1)])).toBeUndefined();
    expect(currentDecision([d(1), d(2, 1), d(3, 2)])?.id).toBe(1);
    expect(currentDecision([d(1), d(2, 1), d(3, 2), d(4, 3)])).toBeUndefined();
  });

  it('falls back to the previous decision when the newest is undone, regardless of input order', () => {
    expect(currentDecision([d(7, 5), d(5), d(2)])?.id).toBe(2);
    expect(currentDecision([d(2), d(5), d(9)])?.id).toBe(9);
  });
});
