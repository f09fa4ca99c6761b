// Which web permissions the page may have. The app uses none (no camera, microphone,
// notifications, geolocation, clipboard reads, MIDI, HID, USB, serial, ...), so every request
// and every check is denied; a permission is added here only with the feature that needs it,
// and then only for the app's own origin. Installed on the session by main.
import { APP_ORIGIN } from './ipcChannels';

export interface PermissionPolicy {
  /** The only origin that may be granted anything. */
  readonly origin: string;
  /** Electron permission names that origin may have. */
  readonly allowed: ReadonlySet<string>;
}

export const APP_PERMISSION_POLICY: PermissionPolicy = { origin: APP_ORIGIN, allowed: new Set<string>() };

/** Whether `permission`, asked by a page at `requestingUrl` (a URL or an origin), is granted. */
export function isPermissionGranted(permission: string, requestingUrl: string | undefined, policy: PermissionPolicy = APP_PERMISSION_POLICY): boolean {
  if (!policy.allowed.has(permission) || !requestingUrl) return false;
  return originOf(requestingUrl) === originOf(policy.origin);
}

/** scheme://host[:port]; URL.origin is the opaque "null" for custom schemes, so it is built here. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host.toLowerCase()}` : null;
  } catch {
    return null;
  }
}
