// A one-node Slurm cluster for a test: munged, slurmctld and slurmd started in the foreground
// as this process's children, with their own key, socket, ports, state and logs in a temp
// folder, and a slurm.conf written there (clients find it through SLURM_CONF). stop() cancels
// what is still queued, then ends the three daemons (SIGTERM, then SIGKILL) and removes the folder.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface SlurmCluster {
  dir: string;
  /** Environment for clients (sbatch, squeue, scancel, micra): SLURM_CONF set. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const BINARIES = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'sinfo'];

/** Why a cluster cannot start here, or null when it can (the daemons run as root). */
export function slurmUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'the Slurm daemons need root';
  for (const b of BINARIES) {
    try {
      execFileSync('sh', ['-c', `command -v ${b}`], { stdio: 'ignore' });
    } catch {
      return `${b} is not installed (apt-get install slurm-wlm munge)`;
    }
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSlurm(): Promise<SlurmCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-slurm-'));
  const children: ChildProcess[] = [];
  const node = os.hostname().split('.')[0] as string;
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const p = (...parts: string[]) => path.join(dir, ...parts);
  for (const d of ['munge', 'state', 'spool', 'log']) fs.mkdirSync(p(d), { mode: 0o700 });
  const conf = p('slurm.conf');
  fs.writeFileSync(
    conf,
    [
      'ClusterName=micratest',
      `SlurmctldHost=${node}`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'SlurmUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${p('munge', 'munge.sock')}`,
      `StateSaveLocation=${p('state')}`,
      `SlurmdSpoolDir=${p('spool')}`,
      `SlurmctldPidFile=${p('slurmctld.pid')}`,
      `SlurmdPidFile=${p('slurmd.pid')}`,
      `SlurmctldLogFile=${p('log', 'slurmctld.log')}`,
      `SlurmdLogFile=${p('log', 'slurmd.log')}`,
      // No cgroups in a container: track processes through /proc, no task binding.
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'JobAcctGatherType=jobacct_gather/none',
      // No slurmdbd: sacct has nothing to say, which `batch status` must cope with.
      'AccountingStorageType=accounting_storage/none',
      'MpiDefault=none',
      'ReturnToService=2',
      'KillWait=10',
      'MinJobAge=600',
      `NodeName=${node} CPUs=${os.availableParallelism()} State=UNKNOWN`,
      `PartitionName=main Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemon = (cmd: string, args: string[], log: string) => {
    const out = fs.openSync(p('log', log), 'a');
    const child = spawn(cmd, args, { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    children.push(child);
    return child;
  };
  const stop = async () => {
    try {
      const ids = execFileSync('squeue', ['-h', '-o', '%A'], { env, encoding: 'utf8', timeout: 10_000 }).split('\n').filter(Boolean);
      if (ids.length > 0) execFileSync('scancel', [...new Set(ids)], { env, timeout: 10_000 });
      for (let i = 0; i < 30 && execFileSync('squeue', ['-h'], { env, encoding: 'utf8', timeout: 10_000 }).trim() !== ''; i++) await sleep(500);
    } catch {
      // The controller is gone already: nothing to cancel through it.
    }
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if ((await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) === false) child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    execFileSync('mungekey', ['--create', `--keyfile=${p('munge', 'munge.key')}`]);
    fs.chmodSync(p('munge', 'munge.key'), 0o600);
    // --force: the socket's folder is under /tmp, which munged would otherwise call insecure.
    daemon('munged', ['--foreground', '--force', `--key-file=${p('munge', 'munge.key')}`, `--socket=${p('munge', 'munge.sock')}`, `--pid-file=${p('munge', 'munged.pid')}`, `--seed-file=${p('munge', 'seed')}`, `--log-file=${p('munge', 'munged.log')}`], 'munged.out');
    await waitFor(() => fs.existsSync(p('munge', 'munge.sock')), 'munged', p('log'));
    daemon('slurmctld', ['-D', '-f', conf], 'slurmctld.out');
    daemon('slurmd', ['-D', '-f', conf], 'slurmd.out');
    await waitFor(() => {
      try {
        return /idle/.test(execFileSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8', timeout: 5000 }));
      } catch {
        return false;
      }
    }, 'an idle node', p('log'));
  } catch (err) {
    await stop();
    throw err;
  }
  return { dir, env, stop };
}

async function waitFor(ok: () => boolean, what: string, logs: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (ok()) return;
    await sleep(250);
  }
  const tails = fs.readdirSync(logs).map((f) => `${f}:\n${fs.readFileSync(path.join(logs, f), 'utf8').slice(-2000)}`);
  throw new Error(`Slurm test cluster: no ${what} after 30 s\n${tails.join('\n')}`);
}
