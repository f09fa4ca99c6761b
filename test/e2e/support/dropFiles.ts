// Drops files on an element with a real DataTransfer and the drag events a user's drop fires.
import type { Page } from 'playwright-core';

export interface DroppedFile {
  name: string;
  bytes: Buffer;
  type?: string;
}

export async function dropFiles(page: Page, selector: string, files: DroppedFile[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64'), type: f.type ?? 'image/tiff' }));
  await page.evaluate(
    ({ selector, payload }) => {
      const target = document.querySelector(selector);
      if (!target) throw new Error(`no drop target ${selector}`);
      const transfer = new DataTransfer();
      for (const f of payload) {
        const binary = atob(f.base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        transfer.items.add(new File([bytes], f.name, { type: f.type }));
      }
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    { selector, payload },
  );
}
