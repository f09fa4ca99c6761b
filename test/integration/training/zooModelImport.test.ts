// The app's model import (models.import, the Train screen's "Import model…") takes a model zoo
// of the original MICRA-Net code (.hdf5, written by h5py as that code does) through the same
// core as `micra models import-zoo`: an ambiguous zoo is refused with its groups listed and
// nothing stored; with a supervision level the model becomes a project model with the zoo's
// card and the fixture's weights.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestChannel, RequestParams, RequestResult } from '../../../src-main/api/types';
import { createNodeApp } from '../../../src-main/cli/nodeApp';
import type { MicraApp } from '../../../src-main/core/app/micraApp';
import { dispatchRequest } from '../../../src-main/core/app/requestDispatcher';
import { MODELS_DIR } from '../../../src-main/core/project/projectLayout';
import { writeZooWithH5py } from '../../generators/zoo/h5pyZoo';
import { fixtureDir } from '../ml/fixtureCases';

async function call<C extends RequestChannel>(app: MicraApp, channel: C, params: RequestParams<C>): Promise<{ ok: true; result: RequestResult<C> } | { ok: false; message: string; code: string }> {
  const out = await dispatchRequest(app.handlers, channel, params);
  return out.ok ? { ok: true, result: out.result as RequestResult<C> } : { ok: false, message: out.error.message, code: out.error.code };
}

describe('models.import of an original MICRA-Net zoo', () => {
  let tmp: string;
  let app: MicraApp;
  let zoo: string;
  const params = { num_input_images: 1, num_classes: 1, size: 256 };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-zoo-app-'));
    zoo = path.join(tmp, 'EMModelZoo.hdf5');
    writeZooWithH5py(fixtureDir, zoo, [
      { name: 'MICRANet-1:1', trainer_params: params, class_thresholds: [0.61] },
      { name: 'MICRANet-1:5', trainer_params: params, class_thresholds: [0.42] },
    ]);
    app = createNodeApp('serve');
    await app.openProject(path.join(tmp, 'project'), true);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const modelsDirEntries = () => {
    const dir = path.join(tmp, 'project', MODELS_DIR);
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  it('refuses an ambiguous zoo with its groups listed, storing nothing', async () => {
    const before = modelsDirEntries();
    const out = await call(app, 'models.import', { path: zoo });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.code).toBe('bad-request');
    expect(out.message).toMatch(/several architecture groups: MICRANet-1:1, MICRANet-1:5/);
    const bad = await call(app, 'models.import', { path: zoo, supervision: '1:5', model: 'other' });
    expect(bad.ok === false && bad.message).toMatch(/no model 'other'; its models: network/);
    const listed = await call(app, 'models.list', {});
    expect(listed.ok && listed.result).toEqual([]);
    expect(modelsDirEntries()).toEqual(before);
  });

  it('imports the chosen supervision level with the zoo’s card and the fixture’s weights', async () => {
    const out = await call(app, 'models.import', { path: zoo, supervision: '1:5' });
    if (!out.ok) throw new Error(out.message);
    const m = out.result;
    expect(m).toMatchObject({ origin: 'imported', status: 'ready', name: 'EMModelZoo MICRANet-1:5/network' });
    expect(m.card).toMatchObject({ inputSize: 256, inChannels: 1, classes: ['class 1'], classThresholds: [0.42] });
    expect((m.card.provenance as { source?: unknown }).source).toMatchObject({ format: 'micranet-zoo-hdf5', file: 'EMModelZoo.hdf5', group: 'MICRANet-1:5', model: 'network' });
    expect(m.datasetSnapshot).toEqual({ importedFrom: zoo });
    const stored = path.join(tmp, 'project', MODELS_DIR, String(m.id));
    for (const f of ['weights__conv4b.weight.f32', 'weights__bnorm2a.running_var.f32', 'weights__linear1.bias.f32']) {
      expect(fs.readFileSync(path.join(stored, f)).equals(fs.readFileSync(path.join(fixtureDir, f))), f).toBe(true);
    }
    expect(fs.readdirSync(stored).some((f) => f.includes('num_batches_tracked'))).toBe(false);
    const named = await call(app, 'models.import', { path: zoo, supervision: 'MICRANet-1:1', name: 'EM 1:1' });
    expect(named.ok && named.result).toMatchObject({ name: 'EM 1:1', card: { classThresholds: [0.61] } });
  });
});
