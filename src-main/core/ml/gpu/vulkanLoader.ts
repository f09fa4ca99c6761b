// Whether Linux can find the Vulkan loader (libvulkan.so.1) that dawn.node opens at run time.
// Without it Dawn prints "Warning: Couldn't load Vulkan…" on stderr from every process that
// probes it (the CLI, each worker), and finds no adapter anyway; checking first keeps a machine
// without Vulkan quiet and gives the user the reason in words.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const VULKAN_LOADER = 'libvulkan.so.1';

export interface LoaderSearch {
  /** Folders searched as the dynamic linker would before its cache (LD_LIBRARY_PATH, dawn.node's own folder). */
  folders: readonly string[];
  /** The dynamic linker's cache (/etc/ld.so.cache): it names every library ldconfig knows. */
  linkerCache: Buffer | null;
  exists: (file: string) => boolean;
}

/** True when the loader is in one of the folders or named in the linker's cache. */
export function vulkanLoaderFound(search: LoaderSearch): boolean {
  if (search.folders.some((folder) => folder !== '' && search.exists(path.join(folder, VULKAN_LOADER)))) return true;
  return search.linkerCache?.includes(VULKAN_LOADER) ?? false;
}

/** This process's search: LD_LIBRARY_PATH, the folder of dawn.node, and /etc/ld.so.cache. */
export function vulkanLoaderOnThisMachine(dawnFolder: string | null): boolean {
  let cache: Buffer | null = null;
  try {
    cache = readFileSync('/etc/ld.so.cache');
  } catch {
    cache = null;
  }
  const fromEnv = (process.env['LD_LIBRARY_PATH'] ?? '').split(':');
  return vulkanLoaderFound({ folders: [...fromEnv, ...(dawnFolder ? [dawnFolder] : [])], linkerCache: cache, exists: existsSync });
}
