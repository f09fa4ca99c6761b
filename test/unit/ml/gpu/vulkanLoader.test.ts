import { describe, expect, it } from 'vitest';
import { vulkanLoaderFound } from '../../../../src-main/core/ml/gpu/vulkanLoader';

describe('vulkanLoaderFound', () => {
  const none = (): boolean => false;
  it('finds the loader in a searched folder', () => {
    const exists = (f: string): boolean => f === '/opt/carry/libvulkan.so.1';
    expect(vulkanLoaderFound({ folders: ['', '/usr/x', '/opt/carry'], linkerCache: null, exists })).toBe(true);
  });
  it("finds the loader named in the linker's cache", () => {
    const cache = Buffer.concat([Buffer.from('ld.so-1.7.0\0libc.so.6\0'), Buffer.from('libvulkan.so.1\0/usr/lib/x86_64-linux-gnu/libvulkan.so.1\0')]);
    expect(vulkanLoaderFound({ folders: [], linkerCache: cache, exists: none })).toBe(true);
  });
  it('reports none when neither the folders nor the cache have it (an empty LD_LIBRARY_PATH entry is not the working folder)', () => {
    const exists = (f: string): boolean => f === 'libvulkan.so.1';
    expect(vulkanLoaderFound({ folders: [''], linkerCache: Buffer.from('libc.so.6\0libvulkan.so.2\0'), exists })).toBe(false);
    expect(vulkanLoaderFound({ folders: [], linkerCache: null, exists: none })).toBe(false);
  });
});
