// The shader that draws one tile: a unit quad placed by the mesh transform, sampling a
// single-channel texture (8-bit unorm or 16-bit-as-float) through the image's contrast
// window, gamma and invert; RGB tiles pass through unchanged. The uniforms live in one
// UniformGroup per image, shared by all its tiles, so a contrast change costs one upload.
import { GlProgram, MeshGeometry, Shader, UniformGroup } from 'pixi.js';
import type { TextureSource } from 'pixi.js';

const vertex = /* glsl */ `#version 300 es
in vec2 aPosition;
in vec2 aUV;
out vec2 vUV;
uniform mat3 uProjectionMatrix;
uniform mat3 uWorldTransformMatrix;
uniform mat3 uTransformMatrix;
void main() {
  mat3 mvp = uProjectionMatrix * uWorldTransformMatrix * uTransformMatrix;
  gl_Position = vec4((mvp * vec3(aPosition, 1.0)).xy, 0.0, 1.0);
  vUV = aUV;
}
`;

// highp everywhere: a 16-bit sample needs more than mediump's 10-bit mantissa.
const fragment = /* glsl */ `#version 300 es
precision highp float;
precision highp sampler2D;
in vec2 vUV;
out vec4 finalColor;
uniform sampler2D uTexture;
uniform float uLow;
uniform float uHigh;
uniform float uGamma;
uniform float uInvert;
uniform float uRgb;
void main() {
  vec4 s = texture(uTexture, vUV);
  if (uRgb > 0.5) {
    finalColor = vec4(s.rgb, 1.0);
    return;
  }
  float t = clamp((s.r - uLow) / (uHigh - uLow), 0.0, 1.0);
  // Skipped at gamma 1 so the identity mapping stays exact (pow is exp2(log2) on most GPUs).
  if (uGamma != 1.0 && t > 0.0) t = pow(t, 1.0 / uGamma);
  if (uInvert > 0.5) t = 1.0 - t;
  finalColor = vec4(t, t, t, 1.0);
}
`;

let program: GlProgram | null = null;
let quad: MeshGeometry | null = null;

function tileProgram(): GlProgram {
  program ??= GlProgram.from({ vertex, fragment, name: 'micra-tile' });
  return program;
}

/** One unit quad shared by every tile mesh; meshes are scaled to the tile's size. */
export function unitQuad(): MeshGeometry {
  quad ??= new MeshGeometry({
    positions: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
    uvs: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
    indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
  });
  return quad;
}

export interface DisplayUniformValues {
  uLow: number;
  uHigh: number;
  uGamma: number;
  uInvert: number;
  uRgb: number;
}

export type DisplayUniforms = UniformGroup<{
  uLow: { value: number; type: 'f32' };
  uHigh: { value: number; type: 'f32' };
  uGamma: { value: number; type: 'f32' };
  uInvert: { value: number; type: 'f32' };
  uRgb: { value: number; type: 'f32' };
}>;

export function createDisplayUniforms(): DisplayUniforms {
  return new UniformGroup({
    uLow: { value: 0, type: 'f32' },
    uHigh: { value: 1, type: 'f32' },
    uGamma: { value: 1, type: 'f32' },
    uInvert: { value: 0, type: 'f32' },
    uRgb: { value: 0, type: 'f32' },
  });
}

export function setDisplayUniforms(group: DisplayUniforms, v: DisplayUniformValues): void {
  Object.assign(group.uniforms, v);
  group.update();
}

export function createTileShader(source: TextureSource, display: DisplayUniforms): Shader {
  return new Shader({ glProgram: tileProgram(), resources: { uTexture: source, display } });
}
