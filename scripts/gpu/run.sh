#!/usr/bin/env bash
# The GPU figures (issue 13), on the GPU machine, from the repository root, with gpu-carry/ (built
# by scripts/gpu/prepare.sh) carried:  bash scripts/gpu/run.sh
# Writes under $OUT (./gpu-out when unset):
#   gpu-figures.json  `micra doctor`'s report, webgpu parity at 256² (fixture and wasm), sweep,
#                     Grad-CAM and training throughput at 256² and 512² beside PyTorch's
#   pytorch.json      PyTorch on CUDA, same work, same GPU, same run (scripts/gpu/pytorch_cuda.py)
#   vulkan.txt        which Vulkan driver and loader were used; nvidia-smi's view of the GPU
#   *.err             each program's stderr
# and prints gpu-figures.json. MICRA_GPU_SMALL=1 shrinks every size (a local check on
# SwiftShader: VK_ICD_FILENAMES pointing at it, MICRA_TORCH_DEVICE=cpu, PYTHON=… with torch).
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CARRY=${MICRA_GPU_CARRY:-$ROOT/gpu-carry}
OUT=${OUT:-$ROOT/gpu-out}
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"

if [ "${MICRA_GPU_SMALL:-}" = 1 ]; then
  export MICRA_GPU_PARITY=${MICRA_GPU_PARITY:-64} MICRA_GPU_SWEEP=${MICRA_GPU_SWEEP:-64x1,64x2} MICRA_GPU_TRAIN=${MICRA_GPU_TRAIN:-64x2} MICRA_GPU_REPEATS=${MICRA_GPU_REPEATS:-1}
fi
SWEEP=${MICRA_GPU_SWEEP:-256x1,256x16,512x1,512x16}
TRAIN=${MICRA_GPU_TRAIN:-256x32,512x8}
REPEATS=${MICRA_GPU_REPEATS:-5}

[ -f "$CARRY/node.xz" ] || { echo "run.sh: no $CARRY/node.xz: run scripts/gpu/prepare.sh here and carry gpu-carry" >&2; exit 1; }

# Unpack Node, the bench and dawn.node into a scratch folder (the carry stays as it came).
WORK=$(mktemp -d /tmp/micra-gpu.XXXXXX)
xz -dc "$CARRY/node.xz" > "$WORK/node" && chmod +x "$WORK/node"
cp -r "$CARRY/app" "$WORK/app"
xz -d "$WORK/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
mkdir -p "$WORK/fixture" && tar -C "$WORK/fixture" -xJf "$CARRY/fixture.tar.xz"

# Vulkan: the carried loader sits beside dawn.node (and on the library path); the NVIDIA driver's
# ICD where the device README names it, unless the caller chose one (SwiftShader, locally).
export LD_LIBRARY_PATH="$WORK/app/node_modules/webgpu/dist/linux-x64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then
      export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd
      break
    fi
  done
fi
{
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"
  echo "loader: $(ls -l "$WORK/app/node_modules/webgpu/dist/linux-x64/libvulkan.so.1" 2>&1)"
  [ -n "${VK_ICD_FILENAMES:-}" ] && cat "$VK_ICD_FILENAMES"
  echo
  nvidia-smi -L 2>&1 || echo "no nvidia-smi"
  ldconfig -p 2>/dev/null | grep -i -E 'libvulkan|libGLX_nvidia|libnvidia-glcore' || echo "ldconfig: no system Vulkan loader or NVIDIA GL libraries listed"
} > "$OUT/vulkan.txt" 2>&1

echo "run: PyTorch (${MICRA_TORCH_DEVICE:-cuda})" >&2
if ! "$PYTHON" scripts/gpu/pytorch_cuda.py --device "${MICRA_TORCH_DEVICE:-cuda}" --sweep "$SWEEP" --train "$TRAIN" --repeats "$REPEATS" > "$OUT/pytorch.json" 2> "$OUT/pytorch.err"; then
  echo "run: PyTorch failed: $(tail -n 3 "$OUT/pytorch.err")" >&2
  echo '{}' > "$OUT/pytorch.json"
fi

echo "run: webgpu (doctor, parity, throughput)" >&2
"$WORK/node" "$WORK/app/gpuBench.mjs" --pytorch "$OUT/pytorch.json" --fixture "$WORK/fixture" > "$OUT/gpu-figures.json" 2> "$OUT/gpu-bench.err"
status=$?
cat "$OUT/gpu-figures.json"
[ $status -eq 0 ] || echo "run: gpuBench exited with $status; its stderr ends: $(tail -n 5 "$OUT/gpu-bench.err")" >&2
rm -rf "$WORK"
exit $status
