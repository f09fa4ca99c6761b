// The webgpu side of the parity test, in a child process: the parent sets the Vulkan loader's
// environment (VK_ICD_FILENAMES for SwiftShader, LD_LIBRARY_PATH for a libvulkan.so.1 outside
// the system's folders), which must be in place before the process starts. Reports, through the
// IPC channel, how the chain treats the software adapter (skipped when automatic, used when
// forced) and MICRA-Net's outputs on webgpu.
import { initBackend, surveyBackends } from '../../../src-main/core/ml/backend';
import { computeParity, type ParityPlan } from './parityCompute';

const plan = JSON.parse(process.argv[2] ?? '') as ParityPlan;
delete process.env['MICRA_BACKEND'];
const automatic = await surveyBackends();
const forced = await initBackend('webgpu');
const outputs = await computeParity(plan);
// dawn.node keeps the process alive while its device exists: leave once the reply is out.
process.send?.({ automatic, forced, outputs }, () => process.exit(0));
