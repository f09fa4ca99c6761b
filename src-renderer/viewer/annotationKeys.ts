// Keyboard shortcuts of the annotation tools. Pure: a key event (its fields) → the action.
export type ToolName = 'select' | 'point' | 'box' | 'polygon';

export type AnnotationCommand =
  | { readonly kind: 'tool'; readonly tool: ToolName }
  | { readonly kind: 'delete' }
  | { readonly kind: 'undo' }
  | { readonly kind: 'redo' }
  | { readonly kind: 'finish' }
  | { readonly kind: 'cancel' };

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

const TOOL_KEYS: Record<string, ToolName> = { v: 'select', p: 'point', b: 'box', g: 'polygon' };

/** The keys annotationCommand understands, as the `?` list shows them. */
export const ANNOTATION_KEY_LEGEND: readonly { keys: string; what: string }[] = [
  ...Object.entries(TOOL_KEYS).map(([key, tool]) => ({ keys: key.toUpperCase(), what: `${tool} tool` })),
  { keys: 'Delete / ⌫', what: 'delete the selected annotation' },
  { keys: 'Enter', what: 'finish the polygon' },
  { keys: 'Esc', what: 'cancel the shape being drawn' },
  { keys: 'Ctrl Z / Ctrl ⇧Z (Ctrl Y)', what: 'undo / redo' },
];

export function annotationCommand(e: KeyLike): AnnotationCommand | null {
  if (e.altKey) return null;
  const key = e.key.toLowerCase();
  // Ctrl on Linux/Windows, Cmd on macOS.
  if (e.ctrlKey || e.metaKey) {
    if (key === 'z') return { kind: e.shiftKey ? 'redo' : 'undo' };
    if (key === 'y') return { kind: 'redo' };
    return null;
  }
  const tool = TOOL_KEYS[key];
  if (tool && !e.shiftKey) return { kind: 'tool', tool };
  if (key === 'delete' || key === 'backspace') return { kind: 'delete' };
  if (key === 'enter') return { kind: 'finish' };
  if (key === 'escape') return { kind: 'cancel' };
  return null;
}
