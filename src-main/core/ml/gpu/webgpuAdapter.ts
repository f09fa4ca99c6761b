// What a WebGPU adapter is, in words a user understands, and whether it is a real GPU. Pure
// functions over the adapter's info (vendor, architecture, device, description,
// isFallbackAdapter), so the policy is tested without a GPU.
//
// dawn.node reports `vendor`, `architecture` and `device` as WebGPU's normalized identifiers
// (lower case, runs of other characters turned into one '-': "NVIDIA RTX A4000" arrives as
// "nvidia-rtx-a4000"), `description` as the driver's own text, and `isFallbackAdapter` as
// "Dawn's adapter type is CPU". A software rasteriser is only worth using when the user asks for
// it: on a CPU, the wasm backend is faster than a Vulkan driver emulated in software.

/** The native API Dawn drives on each platform. */
export type GpuApi = 'Vulkan' | 'Metal' | 'D3D12';

export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
}

/** Dawn's backend on this platform (the one Chrome uses there too); null where there is none. */
export function gpuApiFor(platform: string): GpuApi | null {
  switch (platform) {
    case 'linux':
      return 'Vulkan';
    case 'darwin':
      return 'Metal';
    case 'win32':
      return 'D3D12';
    default:
      return null;
  }
}

/** dawn.node's `create()` flag that pins the backend, so the API we name is the one in use. */
export function dawnBackendFlag(api: GpuApi): string {
  return `backend=${api.toLowerCase()}`;
}

// Software rasterisers by what their info says. lavapipe reports the device "llvmpipe (LLVM …)";
// WARP is Windows' "Microsoft Basic Render Driver".
const SOFTWARE_ADAPTERS: ReadonlyArray<{ pattern: RegExp; name: string }> = [
  { pattern: /swiftshader/, name: 'SwiftShader' },
  { pattern: /lavapipe|llvmpipe/, name: 'lavapipe' },
  { pattern: /softpipe/, name: 'softpipe' },
  { pattern: /microsoft[- ]basic[- ]render|\bwarp\b/, name: 'WARP' },
];

/**
 * The software adapter's name ("SwiftShader", "lavapipe", "WARP", or "CPU" for any other
 * adapter Dawn types as CPU), or null for a hardware GPU.
 */
export function softwareAdapterName(facts: AdapterFacts): string | null {
  const text = [facts.vendor, facts.architecture, facts.device, facts.description].join(' ').toLowerCase();
  for (const { pattern, name } of SOFTWARE_ADAPTERS) if (pattern.test(text)) return name;
  return facts.isFallbackAdapter ? 'CPU' : null;
}

// Words of a normalized identifier that are written in capitals or a fixed case.
const FIXED_CASE: Readonly<Record<string, string>> = {
  nvidia: 'NVIDIA',
  amd: 'AMD',
  ati: 'ATI',
  intel: 'Intel',
  apple: 'Apple',
  qualcomm: 'Qualcomm',
  adreno: 'Adreno',
  mali: 'Mali',
  geforce: 'GeForce',
  radeon: 'Radeon',
  rdna: 'RDNA',
  quadro: 'Quadro',
  tesla: 'Tesla',
  iris: 'Iris',
  arc: 'Arc',
  xe: 'Xe',
  graphics: 'Graphics',
  microsoft: 'Microsoft',
};

/**
 * A normalized identifier back in a readable form: "nvidia-rtx-a4000" → "NVIDIA RTX A4000",
 * "nvidia-h100-80gb-hbm3" → "NVIDIA H100 80GB HBM3", "intel-r-uhd-graphics-630" → "Intel R UHD
 * Graphics 630". Text that is not an identifier (has capitals or spaces) is kept as it is.
 */
export function readableIdentifier(id: string): string {
  const trimmed = id.trim();
  if (/[A-Z ]/.test(trimmed)) return trimmed;
  return trimmed
    .split('-')
    .filter((w) => w !== '')
    .map((w) => FIXED_CASE[w] ?? (/\d/.test(w) || w.length <= 3 ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)))
    .join(' ');
}

/** The adapter's name: its device, else its driver's description, else its vendor. */
export function adapterName(facts: AdapterFacts): string {
  const device = readableIdentifier(facts.device);
  if (device !== '') return device;
  if (facts.description.trim() !== '') return facts.description.trim();
  const vendor = [facts.vendor, facts.architecture].map(readableIdentifier).filter((s) => s !== '').join(' ');
  return vendor === '' ? 'unnamed GPU' : vendor;
}

/** What the user is told: "NVIDIA RTX A4000 (Vulkan)", "SwiftShader (Vulkan, software)". */
export function adapterLabel(facts: AdapterFacts, api: GpuApi): string {
  const software = softwareAdapterName(facts);
  if (software === null) return `${adapterName(facts)} (${api})`;
  return software === 'CPU' ? `${adapterName(facts)} (${api}, software)` : `${software} (${api}, software)`;
}

/** Why a software adapter was not used. */
export function softwareAdapterReason(software: string, api: GpuApi): string {
  return `only a software adapter (${software} ${api}) — set MICRA_BACKEND=webgpu to use it`;
}
