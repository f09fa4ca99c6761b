import { describe, expect, it } from 'vitest';
import { reviewHint } from '../../../src-renderer/review/reviewHint';

describe('reviewHint', () => {
  it('asks to merge new suggestions rather than to sweep when the queue is empty', () => {
    const hint = reviewHint({ states: [], newCount: 3, run: { status: 'running' } });
    expect(hint.kind).toBe('merge');
    expect(hint.text).toBe('3 new suggestions waiting: add them to the queue below.');
    expect(reviewHint({ states: ['accepted'], newCount: 1, run: { status: 'done' } }).text).toBe('1 new suggestion waiting: add it to the queue below.');
  });

  it('offers to start while anything is pending or deferred', () => {
    expect(reviewHint({ states: ['accepted', 'later'], newCount: 2, run: null }).kind).toBe('start');
  });

  it('tells a running sweep from a finished empty one and from no sweep', () => {
    expect(reviewHint({ states: [], newCount: 0, run: { status: 'running' } }).kind).toBe('sweeping');
    expect(reviewHint({ states: [], newCount: 0, run: { status: 'done' } }).kind).toBe('empty');
    expect(reviewHint({ states: [], newCount: 0, run: null }).text).toBe('No suggestions: sweep the image first.');
    expect(reviewHint({ states: [], newCount: 0, run: { status: 'cancelled' } }).kind).toBe('sweep');
  });

  it('says all is reviewed, and whether the sweep may add more', () => {
    expect(reviewHint({ states: ['accepted', 'declined'], newCount: 0, run: { status: 'done' } }).text).toBe('Every suggestion is reviewed.');
    expect(reviewHint({ states: ['accepted'], newCount: 0, run: { status: 'running' } }).text).toContain('still looking');
  });
});
