// Any model is a base: how a base's classes meet the project's (the plan the Train screen
// shows), the network a fine-tuning run starts from (head rows follow class names), and the
// weights digest a model's card records for its base.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/core/ml/backend';
import { createMicraNet, type MicraNet } from '../../../src-main/core/ml/model/micranet';
import { planBaseClasses } from '../../../src-main/core/ml/training/baseClassPlan';
import { networkFromBase } from '../../../src-main/core/ml/training/baseNetwork';
import { saveMicraNetWeights } from '../../../src-main/core/ml/weights/micranetWeights';
import { ModelCardSchema } from '../../../src-main/core/ml/weights/modelCard';
import { weightsDigest } from '../../../src-main/core/ml/weights/weightsDigest';
import { parseBaseModelArg } from '../../../src-main/cli/commands/baseModelArg';

describe('planBaseClasses', () => {
  const project = [
    { id: 4, name: 'Mito' },
    { id: 7, name: 'Axon DAB' },
  ];

  it("keeps the base's classes, in its order, when the project has them all", () => {
    const plan = planBaseClasses(['Axon DAB'], project);
    expect(plan).toMatchObject({ sameClasses: true, classIds: [7], classes: ['Axon DAB'], newHeadRows: [] });
    expect(plan.message).toMatch(/^Same classes/);
  });

  it("learns the project's classes with fresh head rows for the ones the base does not know", () => {
    const plan = planBaseClasses(['Axon DAB', 'Synapse'], project);
    expect(plan).toMatchObject({ sameClasses: false, classIds: null, classes: ['Mito', 'Axon DAB'], newHeadRows: ['Mito'] });
    expect(plan.message).toContain('Classes differ');
    expect(plan.message).toContain('no "Synapse" here');
    expect(plan.message).toContain('starts fresh for "Mito"');
  });

  it('says so when the project has no classes yet', () => {
    expect(planBaseClasses(['Axon DAB'], []).message).toMatch(/no classes yet/);
  });
});

describe('networkFromBase', () => {
  let base: MicraNet;
  const values = async (net: MicraNet, name: string): Promise<Float32Array> => (await net.variables.get(name)!.data()) as Float32Array;
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const fresh = () => (base = createMicraNet({ inChannels: 1, numClasses: 2, seed: 11 }));

  it('uses the base as it is when the classes are its own', () => {
    fresh();
    expect(networkFromBase(base, ['A', 'B'], ['A', 'B'], 1)).toBe(base);
    base.dispose();
  });

  it('keeps the features and the head rows of known classes, re-initialises the others', async () => {
    fresh();
    const conv = await values(base, 'conv4b.weight');
    const weight = await values(base, 'linear1.weight'); // [256, 2]
    const bias = await values(base, 'linear1.bias');
    const net = networkFromBase(base, ['A', 'B'], ['B', 'C', 'A'], 5);
    const reference = createMicraNet({ inChannels: 1, numClasses: 3, seed: 5 });
    try {
      expect(net.numClasses).toBe(3);
      expect(await values(net, 'conv4b.weight')).toEqual(conv);
      const w = await values(net, 'linear1.weight'); // [256, 3]
      const b = await values(net, 'linear1.bias');
      const freshW = await values(reference, 'linear1.weight');
      const freshB = await values(reference, 'linear1.bias');
      for (let i = 0; i < 256; i++) {
        expect(w[i * 3 + 0]).toBe(weight[i * 2 + 1]); // B
        expect(w[i * 3 + 1]).toBe(freshW[i * 3 + 1]); // C: fresh, seeded
        expect(w[i * 3 + 2]).toBe(weight[i * 2 + 0]); // A
      }
      expect(Array.from(b)).toEqual([bias[1], freshB[1], bias[0]]);
    } finally {
      net.dispose();
      reference.dispose();
    }
  });

  it('re-initialises the whole head when no class is known, even with as many classes', async () => {
    fresh();
    const net = networkFromBase(base, ['A', 'B'], ['C', 'D'], 5);
    const reference = createMicraNet({ inChannels: 1, numClasses: 2, seed: 5 });
    try {
      expect(net).not.toBe(base);
      expect(await values(net, 'linear1.weight')).toEqual(await values(reference, 'linear1.weight'));
    } finally {
      net.dispose();
      reference.dispose();
    }
  });
});

describe('weightsDigest', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'micra-digest-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('names the weights, whatever the card says', async () => {
    await initBackend('cpu');
    const net = createMicraNet({ inChannels: 1, numClasses: 1, seed: 3 });
    const card = (threshold: number) =>
      ModelCardSchema.parse({ classes: ['A'], inputSize: 64, inChannels: 1, preprocessing: {}, classThresholds: [threshold], provenance: {} });
    const a = await saveMicraNetWeights(net, card(0.5), path.join(tmp, 'a'));
    const b = await saveMicraNetWeights(net, card(0.9), path.join(tmp, 'b'));
    net.dispose();
    const other = createMicraNet({ inChannels: 1, numClasses: 1, seed: 4 });
    const c = await saveMicraNetWeights(other, card(0.5), path.join(tmp, 'c'));
    other.dispose();
    expect(await weightsDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(await weightsDigest(a)).toBe(await weightsDigest(b));
    expect(await weightsDigest(a)).not.toBe(await weightsDigest(c));
  });
});

describe('--base-model', () => {
  it('takes default, a model ID or a path', () => {
    expect(parseBaseModelArg('default')).toEqual({ kind: 'default' });
    expect(parseBaseModelArg('12')).toEqual({ kind: 'model', id: 12 });
    expect(parseBaseModelArg('lab/model/manifest.json')).toEqual({ kind: 'path', path: 'lab/model/manifest.json' });
    expect(() => parseBaseModelArg('0')).toThrow(/not a model ID/);
    expect(() => parseBaseModelArg(' ')).toThrow(/--base-model/);
  });
});
