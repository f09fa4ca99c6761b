// Read-only access to an HDF5 file through h5wasm (the HDF5 C library compiled to wasm, with
// the host file system mounted as is), reduced to what importing a model needs: groups,
// attributes and numeric datasets. An HDF5 file is untrusted input, so every accessor checks
// what it gets and fails with a message that names the object: a dataset's type and shape are
// checked from its metadata before any value is read, so a huge or odd dataset costs nothing.
// h5wasm (4 MB, wasm inside its JavaScript) is loaded on first use only.
import { open, stat } from 'node:fs/promises';

/** HDF5's format signature; the superblock sits at 0, 512, 1024, 2048… (after a user block). */
const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Floating-point class of HDF5's H5T_class_t (H5T_FLOAT). */
const H5T_FLOAT = 1;

export class Hdf5InputError extends Error {}

/** The subset of h5wasm's objects used here (its own classes carry more). */
interface H5Attribute {
  readonly value: unknown;
}
interface H5Entity {
  readonly type: string;
  readonly path: string;
}
interface H5Group extends H5Entity {
  keys(): string[];
  get(name: string): H5Entity | null;
  readonly attrs: Record<string, H5Attribute>;
}
interface H5Dataset extends H5Entity {
  readonly metadata: { type: number; size: number; shape: number[] | null };
  readonly value: unknown;
}
interface H5FileHandle extends H5Group {
  close(): unknown;
}
interface H5Module {
  File: new (filename: string, mode: 'r') => H5FileHandle;
}

let loaded: Promise<H5Module> | null = null;

/** Loads h5wasm's Node build once, with HDF5 errors thrown as exceptions instead of printed. */
function h5wasm(): Promise<H5Module> {
  loaded ??= import('h5wasm/node').then(async (m) => {
    const module = await m.ready;
    module.activate_throwing_error_handler();
    return { File: m.File as unknown as H5Module['File'] };
  });
  return loaded;
}

/** The most specific line of an HDF5 error stack ("Not an HDF5 file", "Read failed"…). */
function hdf5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // Compression other than gzip (h5py's lzf, blosc…) needs HDF5 plugins this build does not have.
  const filter = /required filter '([^']+)' is not registered/.exec(text)?.[1];
  if (filter !== undefined) return `it is compressed with the '${filter}' filter, which this reader lacks (save it uncompressed or with gzip)`;
  const minors = [...text.matchAll(/minor: (.+)/g)].map((m) => (m[1] as string).trim());
  return minors.at(-1) ?? text.split('\n')[0] ?? 'unknown error';
}

/** Whether the file carries HDF5's signature where a superblock may start. */
async function hasHdf5Signature(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SIGNATURE.length);
    for (let offset = 0; offset + SIGNATURE.length <= size; offset = offset === 0 ? 512 : offset * 2) {
      const { bytesRead } = await handle.read(buf, 0, SIGNATURE.length, offset);
      if (bytesRead === SIGNATURE.length && buf.equals(SIGNATURE)) return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/** A numeric dataset read into memory, as float32 (float64 is narrowed, as PyTorch's .float() does). */
export interface Hdf5FloatArray {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export class Hdf5Group {
  constructor(
    protected readonly group: H5Group,
    readonly path: string,
  ) {}

  /** Names of the child groups, sorted. */
  groupNames(): string[] {
    return this.childNames().filter((k) => this.child(k)?.type === 'Group');
  }

  /** Names of every child (groups, datasets, links), sorted. */
  childNames(): string[] {
    try {
      return this.group.keys().sort();
    } catch (err) {
      throw new Hdf5InputError(`${this.path} cannot be listed: ${hdf5Reason(err)}`);
    }
  }

  /** The shape of a child dataset (from its metadata, nothing read), or null when it is not a dataset. */
  datasetShape(name: string): number[] | null {
    const child = this.child(name);
    if (child?.type !== 'Dataset') return null;
    try {
      return [...((child as H5Dataset).metadata.shape ?? [])];
    } catch (err) {
      throw new Hdf5InputError(`${this.childPath(name)} cannot be read: ${hdf5Reason(err)}`);
    }
  }

  childGroup(name: string): Hdf5Group {
    const child = this.child(name);
    if (child?.type !== 'Group') throw new Hdf5InputError(`${this.childPath(name)} is ${child ? `a ${child.type}, not a group` : 'missing'}`);
    return new Hdf5Group(child as H5Group, this.childPath(name));
  }

  hasAttribute(name: string): boolean {
    return Object.hasOwn(this.group.attrs, name);
  }

  /** An attribute's value as h5wasm reads it (string, number, typed array…), or undefined. */
  attribute(name: string): unknown {
    const attrs = this.group.attrs;
    if (!Object.hasOwn(attrs, name)) return undefined;
    try {
      return (attrs[name] as H5Attribute).value;
    } catch (err) {
      throw new Hdf5InputError(`attribute '${name}' of ${this.path} cannot be read: ${hdf5Reason(err)}`);
    }
  }

  /**
   * A floating-point dataset whose shape must equal `expected` (checked before reading), as
   * float32. Integer, string, compound or other datasets are refused.
   */
  floatDataset(name: string, expected: readonly number[]): Hdf5FloatArray {
    const where = this.childPath(name);
    const child = this.child(name);
    if (child?.type !== 'Dataset') throw new Hdf5InputError(`${where} is ${child ? `a ${child.type}, not a dataset` : 'missing'}`);
    const ds = child as H5Dataset;
    let meta: H5Dataset['metadata'];
    try {
      meta = ds.metadata;
    } catch (err) {
      throw new Hdf5InputError(`${where} cannot be read: ${hdf5Reason(err)}`);
    }
    if (meta.type !== H5T_FLOAT || (meta.size !== 4 && meta.size !== 8)) {
      throw new Hdf5InputError(`${where} is not a float32 or float64 dataset`);
    }
    const shape = meta.shape ?? [];
    if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
      throw new Hdf5InputError(`${where} has shape [${shape.join(', ')}], expected [${expected.join(', ')}]`);
    }
    let value: unknown;
    try {
      value = ds.value;
    } catch (err) {
      throw new Hdf5InputError(`${where} cannot be read: ${hdf5Reason(err)}`);
    }
    const count = expected.reduce((a, b) => a * b, 1);
    const data = value instanceof Float32Array ? value : value instanceof Float64Array ? Float32Array.from(value) : null;
    if (data === null || data.length !== count) throw new Hdf5InputError(`${where} did not read as ${count} floating-point values`);
    return { data, shape: [...expected] };
  }

  private child(name: string): H5Entity | null {
    try {
      return this.group.get(name);
    } catch (err) {
      throw new Hdf5InputError(`${this.childPath(name)} cannot be opened: ${hdf5Reason(err)}`);
    }
  }

  private childPath(name: string): string {
    return `${this.path === '/' ? '' : this.path}/${name}`;
  }
}

export class Hdf5File extends Hdf5Group {
  private constructor(private readonly handle: H5FileHandle) {
    super(handle, '/');
  }

  /** Opens `file` read-only; a missing file or one that is not HDF5 is refused with the reason. */
  static async open(file: string): Promise<Hdf5File> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new Hdf5InputError(`${file} is not a readable file`);
    if (!(await hasHdf5Signature(file, info.size))) throw new Hdf5InputError(`${file} is not an HDF5 file (no HDF5 signature)`);
    const h5 = await h5wasm();
    try {
      return new Hdf5File(new h5.File(file, 'r'));
    } catch (err) {
      throw new Hdf5InputError(`${file} cannot be opened as HDF5: ${hdf5Reason(err)}`);
    }
  }

  close(): void {
    this.handle.close();
  }
}

/** Opens `file`, runs `fn`, and closes the file whatever happens. */
export async function withHdf5File<T>(file: string, fn: (f: Hdf5File) => T | Promise<T>): Promise<T> {
  const f = await Hdf5File.open(file);
  try {
    return await fn(f);
  } finally {
    f.close();
  }
}
