// The labelling view's keyboard: one key per decision for the focused crop and the current
// class, plus focus movement, class switching and paging. Kept apart from the component so the
// mapping is one readable table (also shown on screen as the legend) and is unit-tested.

export type LabelValue = 'present' | 'absent' | 'skip';

export type LabelAction =
  | { type: 'label'; value: LabelValue }
  | { type: 'undo' }
  | { type: 'move'; dx: number; dy: number }
  | { type: 'class'; delta: number }
  | { type: 'page'; delta: number };

export interface KeyInput {
  readonly key: string;
  readonly shiftKey?: boolean;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
}

/** The legend, in the order shown on screen: keys → what they do. */
export const LABEL_KEY_LEGEND: readonly { keys: string[]; action: string }[] = [
  { keys: ['Y', '1'], action: 'present' },
  { keys: ['N', '0'], action: 'absent' },
  { keys: ['S'], action: 'skip' },
  { keys: ['Z', '⌫'], action: 'undo' },
  { keys: ['←', '↑', '→', '↓'], action: 'move' },
  { keys: ['Tab', '⇧Tab'], action: 'class' },
  { keys: ['PgUp', 'PgDn'], action: 'page' },
];

export function labelActionFor(e: KeyInput): LabelAction | null {
  if (e.altKey) return null;
  const mod = e.ctrlKey === true || e.metaKey === true;
  // Ctrl/Cmd+Z is undo too; any other shortcut with a modifier belongs to the browser.
  if (mod) return e.key === 'z' || e.key === 'Z' ? { type: 'undo' } : null;
  switch (e.key) {
    case 'y':
    case 'Y':
    case '1':
      return { type: 'label', value: 'present' };
    case 'n':
    case 'N':
    case '0':
      return { type: 'label', value: 'absent' };
    case 's':
    case 'S':
      return { type: 'label', value: 'skip' };
    case 'z':
    case 'Z':
    case 'Backspace':
      return { type: 'undo' };
    case 'ArrowLeft':
      return { type: 'move', dx: -1, dy: 0 };
    case 'ArrowRight':
      return { type: 'move', dx: 1, dy: 0 };
    case 'ArrowUp':
      return { type: 'move', dx: 0, dy: -1 };
    case 'ArrowDown':
      return { type: 'move', dx: 0, dy: 1 };
    case 'Tab':
      return { type: 'class', delta: e.shiftKey ? -1 : 1 };
    case 'PageDown':
      return { type: 'page', delta: 1 };
    case 'PageUp':
      return { type: 'page', delta: -1 };
    default:
      return null;
  }
}

/**
 * The focus after a move in a grid of `count` cells laid out `columns` wide; null when the move
 * leaves the page (the caller turns the page: right/down past the last cell, left/up before the first).
 */
export function movedFocus(index: number, dx: number, dy: number, columns: number, count: number): number | null {
  const next = index + dx + dy * columns;
  if (next < 0 || next >= count) return null;
  // Left/right wrap across rows; up/down keep the column.
  return next;
}

/** The class index after switching by `delta`, wrapping around. */
export function cycledClass(index: number, delta: number, classCount: number): number {
  if (classCount === 0) return 0;
  return (((index + delta) % classCount) + classCount) % classCount;
}
