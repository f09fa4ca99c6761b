// Every IPC message is checked for its sender: only the main frame of our own window, showing
// our own renderer file, may talk to main (GitHub Desktop / Electron security checklist).
import { pathToFileURL } from 'node:url';

export interface SenderFacts {
  webContentsId: number;
  /** The sending frame: null when it is gone; parent null means a main frame. */
  frame: { url: string; parent: unknown } | null;
}

export interface TrustedRenderer {
  webContentsId: number | null;
  indexHtmlPath: string;
}

export function isTrustedSender(sender: SenderFacts, trusted: TrustedRenderer): boolean {
  if (trusted.webContentsId === null || sender.webContentsId !== trusted.webContentsId) return false;
  if (sender.frame === null || sender.frame.parent !== null) return false;
  try {
    const url = new URL(sender.frame.url);
    url.hash = '';
    url.search = '';
    return url.href === pathToFileURL(trusted.indexHtmlPath).href;
  } catch {
    return false;
  }
}
