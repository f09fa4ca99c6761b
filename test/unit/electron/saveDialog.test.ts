// The export save dialog against a fake 'electron': main proposes the core's file name in the
// user's documents folder with a filter for its extension, and a cancel is no path.
import { describe, expect, it, vi } from 'vitest';

const shown = vi.hoisted(() => ({ calls: [] as Array<{ owner: unknown; options: Record<string, unknown> }>, answer: { canceled: false, filePath: '/home/u/Documents/x.csv' } as { canceled: boolean; filePath?: string } }));

vi.mock('electron', () => ({
  app: { getPath: (name: string) => (name === 'documents' ? '/home/u/Documents' : '/tmp') },
  dialog: {
    showSaveDialog: async (...args: unknown[]) => {
      const [owner, options] = args.length === 2 ? args : [null, args[0]];
      shown.calls.push({ owner, options: options as Record<string, unknown> });
      return shown.answer;
    },
  },
}));

describe('export save dialog', () => {
  it('proposes the export file name and returns the chosen path, or null when cancelled', async () => {
    const { saveDialogChooser } = await import('../../../src-main/electron/saveDialog');
    const window = { isDestroyed: () => false };
    const choose = saveDialogChooser(() => window as never);
    expect(await choose('3_section_labels.tif', 'image/tiff')).toBe('/home/u/Documents/x.csv');
    expect(shown.calls[0]!.owner).toBe(window);
    expect(shown.calls[0]!.options).toMatchObject({ defaultPath: '/home/u/Documents/3_section_labels.tif', filters: [{ name: 'TIFF label image', extensions: ['tif'] }] });
    shown.answer = { canceled: true };
    expect(await choose('p_objects.csv', 'text/csv')).toBeNull();
    expect(await saveDialogChooser(() => null)('p_coco.json', 'application/json').then(() => shown.calls.at(-1)!.owner)).toBeNull();
  });
});
