// Adam (PyTorch's defaults: β1 0.9, β2 0.999, ε 1e-8) with explicit state, so the moments and
// step count can be checkpointed and restored exactly for resume, and the learning rate can
// change every step (tfjs's AdamOptimizer hides both).
import * as tf from '@tensorflow/tfjs-core';

export interface AdamSnapshot {
  step: number;
  /** First and second moments per variable, in the variables' order. */
  m: Float32Array[];
  v: Float32Array[];
}

export class Adam {
  private step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    this.m = variables.map((x) => tf.variable(tf.zerosLike(x), false));
    this.v = variables.map((x) => tf.variable(tf.zerosLike(x), false));
  }

  get steps(): number {
    return this.step;
  }

  /** Applies one update with gradients given in the variables' order. */
  apply(grads: readonly tf.Tensor[], learningRate: number): void {
    if (grads.length !== this.variables.length) throw new Error(`${grads.length} gradients for ${this.variables.length} variables`);
    this.step++;
    const c1 = 1 - this.beta1 ** this.step;
    const c2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      this.variables.forEach((x, i) => {
        const g = grads[i] as tf.Tensor;
        const m = this.m[i] as tf.Variable;
        const v = this.v[i] as tf.Variable;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        x.assign(tf.sub(x, tf.mul(update, learningRate)));
      });
    });
  }

  /** A copy of the state, read with `await data()` (a GPU backend cannot read synchronously). */
  async snapshot(): Promise<AdamSnapshot> {
    const read = (ts: readonly tf.Variable[]) => Promise.all(ts.map(async (t) => Float32Array.from((await t.data()) as Float32Array)));
    const [m, v] = await Promise.all([read(this.m), read(this.v)]);
    return { step: this.step, m, v };
  }

  restore(s: AdamSnapshot): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new Error('optimizer checkpoint does not match the trained variables');
    this.step = s.step;
    const set = (target: tf.Variable, data: Float32Array) => {
      if (data.length !== target.size) throw new Error('optimizer checkpoint has a moment of the wrong size');
      const t = tf.tensor(data, target.shape, 'float32');
      target.assign(t);
      t.dispose();
    };
    s.m.forEach((d, i) => set(this.m[i] as tf.Variable, d));
    s.v.forEach((d, i) => set(this.v[i] as tf.Variable, d));
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
