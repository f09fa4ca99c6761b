// Every key of every mode, for the `?` overlay: one list per mode, each built from the legend
// the mode itself shows or acts on (no second copy of a key's meaning).
import { LABEL_KEY_LEGEND } from '../training/labelKeys';
import type { ProjectMode } from '../training/projectMode';
import { REVIEW_KEY_LEGEND } from '../review/reviewKeys';
import { VIEWER_KEY_LEGEND } from '../viewer/navigation';
import { ANNOTATION_KEY_LEGEND } from '../viewer/annotationKeys';
import { SNAPSHOT_KEY_LEGEND } from '../viewer/snapshot';

export interface KeyHelpRow {
  keys: string;
  what: string;
}

export interface KeyHelpGroup {
  title: string;
  rows: readonly KeyHelpRow[];
}

const ALWAYS: KeyHelpGroup = { title: 'Anywhere', rows: [{ keys: '?', what: 'show or hide this list' }, { keys: 'Esc', what: 'close it' }] };
// The viewer's "Label crop" tool (viewer/cropLabelTool.ts) uses the crop grid's label keys.
const CROP_LABEL_TOOL_KEYS: readonly KeyHelpRow[] = [
  { keys: 'click', what: 'pick the grid crop under the cursor' },
  ...LABEL_KEY_LEGEND.filter((r) => ['present', 'absent', 'skip'].includes(r.action)).map((r) => ({ keys: r.keys.join(' / '), what: `label it ${r.action}` })),
  { keys: 'Esc', what: 'leave the tool' },
];
const VIEWER: KeyHelpGroup = { title: 'Viewer', rows: [...VIEWER_KEY_LEGEND, ...SNAPSHOT_KEY_LEGEND] };

/** The groups of keys that act in `mode`, the mode's own first. */
export function keyHelp(mode: ProjectMode): KeyHelpGroup[] {
  switch (mode) {
    case 'view':
      return [{ title: 'Annotations', rows: ANNOTATION_KEY_LEGEND }, { title: 'Label crop tool', rows: CROP_LABEL_TOOL_KEYS }, VIEWER, ALWAYS];
    case 'review':
      return [{ title: 'Review', rows: REVIEW_KEY_LEGEND.map((r) => ({ keys: r.keys, what: r.what })) }, VIEWER, ALWAYS];
    case 'label':
      return [{ title: 'Label crops', rows: LABEL_KEY_LEGEND.map((r) => ({ keys: r.keys.join(' / '), what: r.action })) }, ALWAYS];
    case 'measure':
      return [VIEWER, ALWAYS];
    case 'train':
    case 'overview':
      return [ALWAYS];
  }
}

/** Whether a key event asks for the list: `?` outside text fields. */
export function isKeyHelpKey(e: { key: string; target: EventTarget | null; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey) return false;
  const t = e.target as { tagName?: string; isContentEditable?: boolean } | null;
  return !(t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable));
}
