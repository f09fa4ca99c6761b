// Types of layers.config.mjs, for the TypeScript that reads it (test/unit/lint/layering.test.ts).
export interface Layer {
  /** The layer's folder, relative to the repository root. */
  readonly dir: string;
  /** What the layer is for; lint messages quote it. */
  readonly role: string;
  /** Layers, or a layer's subfolders ('core/app'), it may import values and types from. */
  readonly may: readonly string[];
  /** Layers it may import only types from. */
  readonly mayTypes?: readonly string[];
  /** Packages and Node built-ins it may import; a trailing '*' matches any continuation. */
  readonly packages: readonly string[];
  /** The runtime it runs in; 'both' allows only the globals Node and browsers share. */
  readonly globals: 'node' | 'browser' | 'both';
}

export declare const layers: Readonly<Record<string, Layer>>;
