// The one error type the imaging core throws for bad input: a stable code for programs (tests,
// the UI choosing an icon) and a specific, human message for people (UI, CLI, logs).

export type ImageImportErrorCode =
  | 'empty-file'
  | 'not-tiff'
  | 'truncated'
  | 'bad-offsets'
  | 'bad-dimensions'
  | 'too-large'
  | 'unsupported-compression'
  | 'unsupported-sample-format'
  | 'unsupported-layout'
  | 'page-out-of-range'
  | 'source-missing'
  | 'disk-full'
  | 'decode-failed'
  | 'write-failed';

export class ImageImportError extends Error {
  readonly code: ImageImportErrorCode;

  constructor(code: ImageImportErrorCode, message: string) {
    super(message);
    this.name = 'ImageImportError';
    this.code = code;
  }
}

/** Human byte size for messages: "1.2 GB", "840 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Maps Node's file-system failures to import errors with a message naming the file. */
export function importErrorFromFs(err: unknown, what: string): ImageImportError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new ImageImportError('source-missing', `${what} no longer exists (it was moved or deleted).`);
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ImageImportError('disk-full', `The disk is full: there is no space left to store the tiles of ${what}.`);
  if (code === 'EACCES' || code === 'EPERM') return new ImageImportError('source-missing', `${what} cannot be read: permission denied.`);
  return null;
}
