// Making tf.grad work, and fast, under Node: the fast backward-convolution kernels of the wasm
// backend, and the gradient functions that tfjs-core's Node build does not register.
export { registerFastWasmKernels, fastWasmKernelsRegistered, FAST_WASM_KERNELS } from './registerFastWasmKernels';
export { registerNodeGradients, NODE_GRADIENT_KERNELS } from './gradients/registerNodeGradients';
