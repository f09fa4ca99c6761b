// `micra doctor [--backend NAME]`: which compute this machine gets, as one JSON object. Every
// backend of the chain is tried, not only up to the first that works, so the user sees why the
// faster ones were skipped (no CUDA build, no GPU driver, only a software adapter) and which
// slower ones would work; `chosen` is what the app and the other commands use.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, isBackendName, surveyBackends, type BackendAttempt, type BackendName } from '../../core/ml/backend';
import { parseCommandArgs, UsageError } from '../argv';

export interface DoctorReport {
  backends: BackendAttempt[];
  chosen: BackendName;
  /** The GPU the chosen backend computes on ("NVIDIA RTX A4000 (Vulkan)"), or null. */
  adapter: string | null;
  /** Threads one engine of the chosen backend uses. */
  threads: number;
  forced: boolean;
  /** Why the backends before the chosen one were skipped. */
  reason: string;
  platform: string;
  arch: string;
  cpus: number;
  node: string;
  tfjs: string;
  /** The settings that steer the choice, as this process sees them. */
  env: Record<string, string | null>;
}

const STEERING_ENV = ['MICRA_BACKEND', 'VK_ICD_FILENAMES', 'VK_DRIVER_FILES', 'LD_LIBRARY_PATH', 'CUDA_VISIBLE_DEVICES'] as const;

export async function doctorReport(preference?: BackendName): Promise<DoctorReport> {
  const { backends, chosen } = await surveyBackends(preference);
  return {
    backends,
    chosen: chosen.name,
    adapter: chosen.adapter,
    threads: chosen.threads,
    forced: chosen.forced,
    reason: chosen.reason,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism(),
    node: process.versions.node,
    tfjs: tf.version_core,
    env: Object.fromEntries(STEERING_ENV.map((k) => [k, process.env[k] ?? null])),
  };
}

export async function runDoctorCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { backend: { type: 'string' } });
  const backend = values.backend;
  if (backend !== undefined && !isBackendName(backend)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}`);
  const report = await doctorReport(backend);
  console.log(JSON.stringify(report));
  return 0;
}
