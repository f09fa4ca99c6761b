// A tile on the GPU: its texture and the mesh that draws it. Destroying it frees both, which
// is what the texture cache relies on to keep GPU memory within budget.
import { BufferImageSource, Mesh } from 'pixi.js';
import type { MeshGeometry, Shader } from 'pixi.js';
import type { TileTexels } from './tilePixels';
import type { DisplayUniforms } from './tileShader';
import { createTileShader, unitQuad } from './tileShader';

export type Filtering = 'nearest' | 'linear';

export class TileGpu {
  readonly mesh: Mesh<MeshGeometry, Shader>;
  private readonly source: BufferImageSource;
  private readonly shader: Shader;
  private filtering: Filtering = 'nearest';
  private destroyed = false;

  constructor(
    texels: TileTexels,
    display: DisplayUniforms,
    /** r32float is only filterable with OES_texture_float_linear. */
    private readonly linearAllowed: boolean,
  ) {
    this.source = new BufferImageSource({
      resource: texels.data,
      width: texels.width,
      height: texels.height,
      format: texels.format,
      alphaMode: 'no-premultiply-alpha',
      scaleMode: 'nearest',
      autoGenerateMipmaps: false,
    });
    this.shader = createTileShader(this.source, display);
    this.mesh = new Mesh({ geometry: unitQuad(), shader: this.shader });
  }

  /** Nearest at 1:1 and when magnified (exact pixels); linear when minified, if allowed. */
  setFiltering(f: Filtering): void {
    const wanted: Filtering = f === 'linear' && this.linearAllowed ? 'linear' : 'nearest';
    if (wanted === this.filtering) return;
    this.filtering = wanted;
    this.source.scaleMode = wanted;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.mesh.destroy();
    this.shader.destroy();
    this.source.destroy();
  }
}
