import { describe, expect, it } from 'vitest';
import { annotationCommand, type KeyLike } from '../../../src-renderer/viewer/annotationKeys';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('annotationCommand', () => {
  it('maps the tool letters', () => {
    expect(['v', 'p', 'B', 'g'].map((k) => annotationCommand(key(k)))).toEqual([
      { kind: 'tool', tool: 'select' },
      { kind: 'tool', tool: 'point' },
      { kind: 'tool', tool: 'box' },
      { kind: 'tool', tool: 'polygon' },
    ]);
  });
  it('maps undo / redo with Ctrl or Cmd', () => {
    expect(annotationCommand(key('z', { ctrlKey: true }))).toEqual({ kind: 'undo' });
    expect(annotationCommand(key('Z', { ctrlKey: true, shiftKey: true }))).toEqual({ kind: 'redo' });
    expect(annotationCommand(key('z', { metaKey: true }))).toEqual({ kind: 'undo' });
    expect(annotationCommand(key('y', { ctrlKey: true }))).toEqual({ kind: 'redo' });
  });
  it('maps Delete / Backspace, Enter and Escape; leaves other keys (and Alt chords) alone', () => {
    expect(annotationCommand(key('Delete'))).toEqual({ kind: 'delete' });
    expect(annotationCommand(key('Backspace'))).toEqual({ kind: 'delete' });
    expect(annotationCommand(key('Enter'))).toEqual({ kind: 'finish' });
    expect(annotationCommand(key('Escape'))).toEqual({ kind: 'cancel' });
    expect(annotationCommand(key('0'))).toBeNull();
    expect(annotationCommand(key('+'))).toBeNull();
    expect(annotationCommand(key('b', { altKey: true }))).toBeNull();
    expect(annotationCommand(key('b', { ctrlKey: true }))).toBeNull();
  });
});
