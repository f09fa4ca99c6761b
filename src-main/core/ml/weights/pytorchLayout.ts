// Conversions between PyTorch's parameter layouts (the weights format) and the TF layouts the
// engine uses. Pure typed-array loops so they run the same on every backend.

/** PyTorch conv [out, in, kh, kw] → TF [kh, kw, in, out] (transpose 2, 3, 1, 0). */
export function convTorchToTf(src: Float32Array, out: number, inC: number, kh: number, kw: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inC; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) dst[((y * kw + x) * inC + i) * out + o] = src[((o * inC + i) * kh + y) * kw + x] as number;
  return dst;
}

/** TF [kh, kw, in, out] → PyTorch [out, in, kh, kw]. */
export function convTfToTorch(src: Float32Array, out: number, inC: number, kh: number, kw: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let o = 0; o < out; o++)
    for (let i = 0; i < inC; i++)
      for (let y = 0; y < kh; y++)
        for (let x = 0; x < kw; x++) dst[((o * inC + i) * kh + y) * kw + x] = src[((y * kw + x) * inC + i) * out + o] as number;
  return dst;
}

/** Transposes a row-major [rows, cols] matrix (linear weights: PyTorch [out, in] ↔ TF [in, out]). */
export function transpose2d(src: Float32Array, rows: number, cols: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c] as number;
  return dst;
}
