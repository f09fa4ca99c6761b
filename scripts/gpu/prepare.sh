#!/usr/bin/env bash
# Builds gpu-carry/ (git-ignored): what the GPU machine needs to run scripts/gpu/run.sh and has
# not got — it has PyTorch on CUDA but no Node, no node_modules, no Vulkan loader, and nothing
# can be fetched there. Everything travels in the working tree (64 MiB at most), so the big
# binaries are xz-compressed and unpacked there:
#   node.xz                         this machine's Node binary (x86-64 Linux, glibc only)
#   app/gpuBench.mjs                test/bench/gpu/gpuBench.ts bundled with tfjs, zod and the engine
#   app/node_modules/webgpu/        webgpu's index.js; dist/linux-x64/dawn.node.xz and, beside it,
#                                   libvulkan.so.1 (Dawn loads the loader from its own folder first)
#   app/node_modules/@tensorflow/tfjs-backend-wasm/   the .wasm binaries (the wasm reference)
#   fixture.tar.xz                  the MICRA-Net reference fixture (parity at 256²)
# Usage: bash scripts/gpu/prepare.sh   (then, on the device: bash scripts/gpu/run.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CARRY=$ROOT/gpu-carry
FIXTURE=${MICRA_FIXTURE_DIR:-$ROOT/../shared/fixtures/micranet-reference}
# The device takes the working tree and the carry together, 64 MiB at most.
TREE=$( (git ls-files -z; git ls-files -z --others --exclude-standard) | xargs -0 du -cb 2>/dev/null | awk '/total$/ {s += $1} END {print s + 0}')
LIMIT=$((64 * 1024 * 1024 - TREE - 1024 * 1024))

[ "$(uname -m)" = x86_64 ] || { echo "prepare.sh: the GPU machine is x86-64; build the carry on x86-64 (this is $(uname -m))" >&2; exit 1; }
[ -f "$FIXTURE/manifest.json" ] || { echo "prepare.sh: no reference fixture at $FIXTURE" >&2; exit 1; }

NODE_BIN=$(node -p process.execPath)
# Compressing Node takes minutes: a node.xz newer than the binary is kept.
kept=
if [ -f "$CARRY/node.xz" ] && [ "$CARRY/node.xz" -nt "$NODE_BIN" ]; then kept=$(mktemp) && mv "$CARRY/node.xz" "$kept"; fi
rm -rf "$CARRY"
mkdir -p "$CARRY/app/node_modules/webgpu/dist/linux-x64" "$CARRY/app/node_modules/@tensorflow/tfjs-backend-wasm/dist"

echo "prepare: Node $(node --version)" >&2
if [ -n "$kept" ]; then mv "$kept" "$CARRY/node.xz"; else xz -T0 -6 -c "$NODE_BIN" > "$CARRY/node.xz"; fi

echo "prepare: bundling test/bench/gpu/gpuBench.ts" >&2
# Everything but dawn.node's loader is bundled; 'encoding' is node-fetch's optional peer.
npx esbuild test/bench/gpu/gpuBench.ts --bundle --platform=node --format=esm --target=node20 --minify \
  --external:webgpu --external:encoding --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
  --log-level=warning --outfile="$CARRY/app/gpuBench.mjs" \
  "--banner:js=import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"

WEBGPU=node_modules/webgpu
cp "$WEBGPU/package.json" "$WEBGPU/index.js" "$CARRY/app/node_modules/webgpu/"
xz -T0 -6 -c "$WEBGPU/dist/linux-x64/dawn.node" > "$CARRY/app/node_modules/webgpu/dist/linux-x64/dawn.node.xz"

WASM=node_modules/@tensorflow/tfjs-backend-wasm
cp "$WASM/package.json" "$CARRY/app/node_modules/@tensorflow/tfjs-backend-wasm/"
cp "$WASM"/dist/*.wasm "$CARRY/app/node_modules/@tensorflow/tfjs-backend-wasm/dist/"

# The Vulkan loader: Debian's libvulkan1 (the device README's way), from apt's cache or
# downloaded with apt-get; Chromium's own copy as the last resort.
VK=$CARRY/app/node_modules/webgpu/dist/linux-x64/libvulkan.so.1
deb=$(ls /var/cache/apt/archives/libvulkan1_*_amd64.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -q libvulkan1:amd64 >/dev/null 2>&1) || true
  deb=$(ls "$tmp"/libvulkan1_*.deb 2>/dev/null | head -n1 || true)
fi
if [ -n "$deb" ]; then
  x=$(mktemp -d)
  dpkg -x "$deb" "$x"
  cp -L "$(ls "$x"/usr/lib/x86_64-linux-gnu/libvulkan.so.1* | head -n1)" "$VK"
  echo "prepare: Vulkan loader from $(basename "$deb")" >&2
elif [ -f /usr/lib/chromium/libvulkan.so.1 ]; then
  cp -L /usr/lib/chromium/libvulkan.so.1 "$VK"
  echo "prepare: Vulkan loader from Chromium's package" >&2
else
  echo "prepare.sh: no Vulkan loader found (apt-get download libvulkan1 failed)" >&2
  exit 1
fi

tar -C "$FIXTURE" -cJf "$CARRY/fixture.tar.xz" .

size=$(du -sb "$CARRY" | cut -f1)
echo "prepare: gpu-carry is $((size / 1024 / 1024)) MiB ($size bytes)" >&2
du -sh "$CARRY"/node.xz "$CARRY"/app/gpuBench.mjs "$CARRY"/app/node_modules/webgpu "$CARRY"/fixture.tar.xz >&2
echo "prepare: carry + working tree ($((TREE / 1024 / 1024)) MiB) = $(((size + TREE) / 1024 / 1024)) MiB of the device's 64 MiB" >&2
if [ "$size" -gt "$LIMIT" ]; then
  echo "prepare.sh: gpu-carry is over the $((LIMIT / 1024 / 1024)) MiB left beside the working tree: it would not travel" >&2
  exit 1
fi
