import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../../src-main/core/project/projectStore';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crashingWriter.ts');

interface Committed {
  committed: number[];
  imageId: number;
  cropId: number;
  classId: number;
}

describe('project store across a killed writer process', () => {
  let tmp: string | undefined;
  afterEach(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps every committed decision and none of an uncommitted multi-row change', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-crash-'));
    const dir = path.join(tmp, 'proj');
    const child = fork(WRITER, [dir], { execArgv: ['--import', 'tsx'] });
    const report = await new Promise<Committed>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Committed));
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dir, 'project.sqlite-wal'))).toBe(true);

    const store = openProjectStore(dir, { create: false });
    try {
      expect(store.decisions.list().map((d) => d.id)).toEqual(report.committed);
      expect(store.crops.listForImage(report.imageId).map((c) => c.id)).toEqual([report.cropId]);
      expect(store.crops.labelsForImage(report.imageId)).toEqual([
        { crop_id: report.cropId, class_id: report.classId, value: 'present', decision_id: report.committed[2] },
      ]);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }
  });
});
