// Every IPC message is checked for its sender: only the main frame of our own window, showing
// our own app://micra/index.html, may talk to main (GitHub Desktop / Electron security checklist).

export interface SenderFacts {
  webContentsId: number;
  /** The sending frame: null when it is gone; parent null means a main frame. */
  frame: { url: string; parent: unknown } | null;
}

export interface TrustedRenderer {
  webContentsId: number | null;
  /** The page main loaded in that window (app://micra/index.html). */
  indexUrl: string;
}

export function isTrustedSender(sender: SenderFacts, trusted: TrustedRenderer): boolean {
  if (trusted.webContentsId === null || sender.webContentsId !== trusted.webContentsId) return false;
  if (sender.frame === null || sender.frame.parent !== null) return false;
  try {
    const url = new URL(sender.frame.url);
    url.hash = '';
    url.search = '';
    return url.href === new URL(trusted.indexUrl).href;
  } catch {
    return false;
  }
}
