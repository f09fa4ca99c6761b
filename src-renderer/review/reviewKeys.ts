// Keyboard of review mode. Pure: a key event's fields → the command.
import type { KeyLike } from '../viewer/annotationKeys';

export type ReviewCommand =
  | { readonly kind: 'decide'; readonly action: 'accept' | 'decline' | 'later' }
  | { readonly kind: 'undo' }
  | { readonly kind: 'move'; readonly step: 1 | -1 }
  | { readonly kind: 'addRegion' }
  | { readonly kind: 'grow'; readonly step: number }
  | { readonly kind: 'resetBox' }
  | { readonly kind: 'cancel' };

/** What the on-screen legend lists, in this order. */
export const REVIEW_KEY_LEGEND: readonly { readonly keys: string; readonly what: string }[] = [
  { keys: 'A / Enter', what: 'accept' },
  { keys: 'D / ⌫', what: 'decline' },
  { keys: 'S', what: 'later' },
  { keys: 'Z', what: 'undo box edit, else last decision' },
  { keys: '← → / ↑ ↓', what: 'previous / next' },
  { keys: '[ ]', what: 'shrink / grow box' },
  { keys: 'drag edge', what: 'adjust box' },
  { keys: 'R', what: 'reset box' },
  { keys: 'N + click', what: 'add missed region' },
  { keys: 'Esc', what: 'cancel N' },
];

export function reviewCommand(e: KeyLike): ReviewCommand | null {
  // Ctrl/Cmd combinations stay the app's (copy, reload, annotation undo).
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key.toLowerCase()) {
    case 'a':
    case 'enter':
      return { kind: 'decide', action: 'accept' };
    case 'd':
    case 'backspace':
      return { kind: 'decide', action: 'decline' };
    case 's':
      return { kind: 'decide', action: 'later' };
    case 'z':
      return { kind: 'undo' };
    case 'arrowright':
    case 'arrowdown':
      return { kind: 'move', step: 1 };
    case 'arrowleft':
    case 'arrowup':
      return { kind: 'move', step: -1 };
    case 'n':
      return { kind: 'addRegion' };
    // Shift gives larger steps ('{' and '}' on US layouts).
    case ']':
      return { kind: 'grow', step: e.shiftKey ? 16 : 4 };
    case '}':
      return { kind: 'grow', step: 16 };
    case '[':
      return { kind: 'grow', step: e.shiftKey ? -16 : -4 };
    case '{':
      return { kind: 'grow', step: -16 };
    case 'r':
      return { kind: 'resetBox' };
    case 'escape':
      return { kind: 'cancel' };
    default:
      return null;
  }
}
