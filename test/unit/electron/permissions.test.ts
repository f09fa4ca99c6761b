// The session denies every web permission: the app uses none. A permission would be granted
// only when listed, and only to the app's own origin.
import { describe, expect, it } from 'vitest';
import { APP_PERMISSION_POLICY, isPermissionGranted } from '../../../src-main/electron/permissions';

// Every permission name Electron 41 passes to the request and check handlers.
const ELECTRON_PERMISSIONS = [
  'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'hid', 'idle-detection', 'media',
  'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal', 'serial', 'speaker-selection',
  'storage-access', 'top-level-storage-access', 'usb', 'window-management', 'deprecated-sync-clipboard-read', 'fileSystem', 'unknown',
];

describe('isPermissionGranted', () => {
  it('denies every permission to the app itself and to anyone else', () => {
    for (const permission of ELECTRON_PERMISSIONS) {
      expect(isPermissionGranted(permission, 'app://micra/index.html'), permission).toBe(false);
      expect(isPermissionGranted(permission, 'https://evil.example/'), permission).toBe(false);
    }
    expect(APP_PERMISSION_POLICY.allowed.size).toBe(0);
  });

  it('grants a listed permission only to the policy’s origin', () => {
    const policy = { origin: 'app://micra', allowed: new Set(['fullscreen']) };
    expect(isPermissionGranted('fullscreen', 'app://micra/index.html', policy)).toBe(true);
    expect(isPermissionGranted('fullscreen', 'app://micra', policy)).toBe(true);
    expect(isPermissionGranted('fullscreen', 'app://other/index.html', policy)).toBe(false);
    expect(isPermissionGranted('fullscreen', 'file:///index.html', policy)).toBe(false);
    expect(isPermissionGranted('fullscreen', undefined, policy)).toBe(false);
    expect(isPermissionGranted('fullscreen', 'not a url', policy)).toBe(false);
    expect(isPermissionGranted('media', 'app://micra/index.html', policy)).toBe(false);
  });
});
