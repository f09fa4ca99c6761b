// Test helper: the environment that points Dawn's Vulkan backend at SwiftShader, the software
// Vulkan driver Debian's chromium package ships (CI installs chromium for the e2e tests).
// Vulkan reads these variables when the process starts, so webgpu runs in a child process that
// gets them; tests skip, saying why, where the driver is absent.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const SWIFTSHADER_ICD = process.env['MICRA_TEST_VK_ICD'] ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

export type SwiftShader = { env: NodeJS.ProcessEnv; skip: null } | { env: null; skip: string };

export function swiftShader(): SwiftShader {
  if (!existsSync(SWIFTSHADER_ICD)) {
    return { env: null, skip: `no SwiftShader Vulkan driver at ${SWIFTSHADER_ICD} (apt-get install chromium, or set MICRA_TEST_VK_ICD)` };
  }
  const dir = path.dirname(SWIFTSHADER_ICD);
  // Chromium keeps its own Vulkan loader (libvulkan.so.1) beside the driver; the system may have
  // none (Debian's libvulkan1 is not a dependency of chromium).
  const ldPath = existsSync(path.join(dir, 'libvulkan.so.1')) ? [dir, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(path.delimiter) : process.env['LD_LIBRARY_PATH'];
  const env: NodeJS.ProcessEnv = { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD };
  if (ldPath) env['LD_LIBRARY_PATH'] = ldPath;
  delete env['MICRA_BACKEND'];
  return { env, skip: null };
}
