// One MICRA-Net engine per worker thread. The wasm backend computes on one thread in Node,
// so a sweep uses the cores by running one of these per core (see workerPool.ts). The
// backend and the weights are loaded once; then crops arrive, logits or Grad-CAM maps leave.
// Bundled to dist/compute/engineWorker.js; run from source with `--import tsx`.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './backend';
import type { EngineReply, EngineRequest, EngineWorkerData, WorkerMemory } from './workerPool';
import { gradCamAllBlocks } from './explain/gradcam';
import { createMicraNet, type MicraNet } from './model/micranet';
import { loadMicraNetWeights } from './weights/micranetWeights';
import type { ScreenNet } from './screen/screenNet';
import { loadScreen } from './screen/screenWeights';

let peakBytes = 0;
/** The sweep screen, when the pool was started with one. */
let screen: ScreenNet | null = null;

function memory(): WorkerMemory {
  const m = process.memoryUsage();
  peakBytes = Math.max(peakBytes, m.heapTotal + m.external);
  return { heapBytes: m.heapTotal, externalBytes: m.external, peakBytes };
}

function batchOf(crops: Float32Array[], size: number, channels: number): tf.Tensor4D {
  const per = size * size * channels;
  const data = new Float32Array(crops.length * per);
  crops.forEach((crop, i) => {
    if (crop.length !== per) throw new Error(`crop ${i} has ${crop.length} values, expected ${size}×${size}×${channels} = ${per}`);
    data.set(crop, i * per);
  });
  return tf.tensor4d(data, [crops.length, size, size, channels]);
}

// Replies are copied by structured clone, not transferred: on the cpu backend data() hands
// out the backend's own arrays, which a transfer would detach. Reads are `await data()`: a GPU
// backend (webgpu) cannot read back synchronously.
async function handle(net: MicraNet, req: EngineRequest): Promise<EngineReply> {
  switch (req.type) {
    case 'predict': {
      const x = batchOf(req.crops, req.size, net.inChannels);
      try {
        if (req.camClass === undefined) {
          const logits = net.predict(x);
          const values = (await logits.data()) as Float32Array;
          logits.dispose();
          return { type: 'predicted', id: req.id, logits: values };
        }
        const { logits, cam } = net.predictWithCam(x, req.camClass);
        try {
          const [, height, width] = cam.shape;
          const [logitValues, camValues] = (await Promise.all([logits.data(), cam.data()])) as [Float32Array, Float32Array];
          return { type: 'predicted', id: req.id, logits: logitValues, cams: { data: camValues, height, width } };
        } finally {
          logits.dispose();
          cam.dispose();
        }
      } finally {
        x.dispose();
      }
    }
    case 'gradcam': {
      const x = batchOf([req.crop], req.size, net.inChannels);
      try {
        const r = await gradCamAllBlocks(net, x, req.classIndex);
        return { type: 'gradcam', id: req.id, result: { logits: r.logits, maps: r.maps, sizes: r.sizes } };
      } finally {
        x.dispose();
      }
    }
    case 'screen': {
      if (!screen) throw new Error('this engine has no screen');
      const x = batchOf(req.crops, req.size, net.inChannels);
      try {
        const logits = screen.predict(x);
        const values = (await logits.data()) as Float32Array;
        logits.dispose();
        return { type: 'screened', id: req.id, logits: values };
      } finally {
        x.dispose();
      }
    }
    case 'memory':
      return { type: 'memory', id: req.id, memory: memory() };
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('engineWorkerEntry must run in a worker thread');
  const data = workerData as EngineWorkerData;
  let net: MicraNet;
  try {
    const backend = await initBackend(data.backend);
    if (data.weightsManifest) net = (await loadMicraNetWeights(data.weightsManifest)).net;
    else if (data.randomModel) net = createMicraNet(data.randomModel);
    else throw new Error('an engine worker needs weightsManifest or randomModel');
    if (data.screenManifest) {
      screen = await loadScreen(data.screenManifest);
      if (screen.shape.inChannels !== net.inChannels || screen.shape.numClasses !== net.numClasses) {
        throw new Error(`the screen (${screen.shape.inChannels} channels, ${screen.shape.numClasses} classes) does not match the model (${net.inChannels}, ${net.numClasses})`);
      }
    }
    port.postMessage({ type: 'ready', backend, inChannels: net.inChannels, numClasses: net.numClasses } satisfies EngineReply);
  } catch (err) {
    port.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) } satisfies EngineReply);
    return;
  }
  port.on('message', async (req: EngineRequest) => {
    try {
      const reply = await handle(net, req);
      memory();
      port.postMessage(reply);
    } catch (err) {
      port.postMessage({ type: 'failed', id: req.id, message: err instanceof Error ? err.message : String(err) } satisfies EngineReply);
    }
  });
}

void main();
