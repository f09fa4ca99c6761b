// The script `micra batch submit --slurm` writes, and how Slurm's answers are read.
import { describe, expect, it } from 'vitest';
import { arraySpec, sbatchScript, shellQuote, type SbatchOptions } from '../../../src-main/core/batch/sbatchScript';
import { parseSbatchJobId, parseTaskStates } from '../../../src-main/core/batch/slurmQueue';

const base: SbatchOptions = {
  jobName: 'micra-1234abcd',
  tasks: [0, 1, 2],
  logDir: '/shared/study/job/slurm/logs',
  micra: ['/usr/bin/node', '/opt/micra/bin/micra.js'],
  jobDir: '/shared/study/job',
};

describe('sbatchScript', () => {
  it('writes one array task per image, the resources asked for, and the task command', () => {
    const text = sbatchScript({ ...base, maxParallel: 2, partition: 'gpu', time: '02:00:00', cpusPerTask: 8, gpus: 1 });
    expect(text.split('\n')).toEqual([
      '#!/bin/bash',
      '#SBATCH --job-name=micra-1234abcd',
      '#SBATCH --array=0-2%2',
      '#SBATCH --output=/shared/study/job/slurm/logs/task-%A_%a.out',
      '#SBATCH --ntasks=1',
      '#SBATCH --partition=gpu',
      '#SBATCH --time=02:00:00',
      '#SBATCH --cpus-per-task=8',
      '#SBATCH --gpus=1',
      '# Written by `micra batch submit`: each array task sweeps one image of the plan into',
      '# results/$SLURM_ARRAY_TASK_ID/ (resumable; a done task does nothing).',
      'set -euo pipefail',
      `exec '/usr/bin/node' '/opt/micra/bin/micra.js' 'batch' 'sweep-task' '/shared/study/job' --index "$SLURM_ARRAY_TASK_ID"`,
      '',
    ]);
  });

  it('leaves out the resources not asked for', () => {
    const text = sbatchScript(base);
    expect(text).toContain('#SBATCH --array=0-2\n');
    expect(text).not.toMatch(/--partition|--time|--cpus-per-task|--gpus/);
  });

  it('lists only the tasks to retry, as ranges', () => {
    expect(arraySpec([3, 0, 1, 7, 8, 9, 5])).toBe('0-1,3,5,7-9');
    expect(sbatchScript({ ...base, tasks: [1, 4], maxParallel: 3 })).toContain('#SBATCH --array=1,4%3\n');
    expect(() => arraySpec([])).toThrow(/no task/);
  });

  it('quotes paths so that none becomes shell code', () => {
    expect(shellQuote("/a/it's here/$(rm -rf x)")).toBe(`'/a/it'\\''s here/$(rm -rf x)'`);
    const text = sbatchScript({ ...base, micra: ['/usr/bin/node', "/opt/o'brien/micra.js"] });
    expect(text).toContain(`'/opt/o'\\''brien/micra.js'`);
    expect(() => shellQuote('a\nb')).toThrow(/newline/);
  });

  it('refuses values that would break the #SBATCH lines', () => {
    expect(() => sbatchScript({ ...base, partition: 'gpu\n#SBATCH --uid=0' })).toThrow(/partition/);
    expect(() => sbatchScript({ ...base, partition: 'a b' })).toThrow(/partition/);
    expect(() => sbatchScript({ ...base, time: '2h' })).toThrow(/--time/);
    expect(() => sbatchScript({ ...base, cpusPerTask: 0 })).toThrow(/cpus-per-task/);
    expect(() => sbatchScript({ ...base, maxParallel: 1.5 })).toThrow(/max-parallel/);
    expect(() => sbatchScript({ ...base, logDir: '/with space/logs' })).toThrow(/spaces/);
    expect(sbatchScript({ ...base, time: '1-12:00:00' })).toContain('#SBATCH --time=1-12:00:00');
  });
});

describe("Slurm's answers", () => {
  it('reads the job id sbatch --parsable prints', () => {
    expect(parseSbatchJobId('4321\n')).toBe('4321');
    expect(parseSbatchJobId('4321;cluster\n')).toBe('4321');
    expect(() => parseSbatchJobId('sbatch: error: invalid partition')).toThrow(/not a job id/);
  });

  it('reads array task states from squeue and sacct, pending blocks included', () => {
    const states = parseTaskStates(['12_0|RUNNING', '12_[2-4%2]|PENDING', '12_1|CANCELLED by 0', '13_1|COMPLETED', 'garbage', ''].join('\n'));
    expect([...(states.get('12') ?? [])]).toEqual([
      [0, 'RUNNING'],
      [2, 'PENDING'],
      [3, 'PENDING'],
      [4, 'PENDING'],
      [1, 'CANCELLED'],
    ]);
    expect(states.get('13')?.get(1)).toBe('COMPLETED');
  });
});
