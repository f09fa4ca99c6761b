// The images table: one row per imported image, 'importing' until its pyramid is complete.
import type { Database } from 'better-sqlite3';

export type ImageStatus = 'importing' | 'ready' | 'failed';

export interface ImageRow {
  id: number;
  name: string;
  width: number;
  height: number;
  bits_per_sample: 8 | 16;
  channels: 1 | 3;
  tile_size: number;
  levels: number;
  pixel_size_nm: number | null;
  status: ImageStatus;
  /** Relative (POSIX) when inside the project, otherwise as given at import. */
  source_path: string;
  /** Which page of a multi-page source this image is (migration 002). */
  source_page: number;
  content_hash: string | null;
  notice: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewImage {
  name: string;
  width: number;
  height: number;
  bitsPerSample: 8 | 16;
  channels: 1 | 3;
  tileSize: number;
  levels: number;
  pixelSizeNm: number | null;
  /** Already in stored form (see projectLayout.toStoredPath). */
  sourcePath: string;
  contentHash: string | null;
  notice?: string | null;
}

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export class ImagesRepo {
  constructor(private readonly db: Database) {}

  /** Adds an image in state 'importing'; returns its id. */
  insertImporting(image: NewImage): number {
    const info = this.db
      .prepare(
        `INSERT INTO images (name, width, height, bits_per_sample, channels, tile_size, levels,
           pixel_size_nm, status, source_path, content_hash, notice)
         VALUES (@name, @width, @height, @bitsPerSample, @channels, @tileSize, @levels,
           @pixelSizeNm, 'importing', @sourcePath, @contentHash, @notice)`,
      )
      .run({ ...image, notice: image.notice ?? null });
    return Number(info.lastInsertRowid);
  }

  /** The pyramid is complete and in place. */
  markReady(id: number): void {
    this.setStatus(id, 'ready', undefined);
  }

  markFailed(id: number, notice: string): void {
    this.setStatus(id, 'failed', notice);
  }

  setPixelSize(id: number, pixelSizeNm: number | null): void {
    this.updateOne(id, 'pixel_size_nm = ?', pixelSizeNm);
  }

  setSourcePath(id: number, storedPath: string): void {
    this.updateOne(id, 'source_path = ?', storedPath);
  }

  setSourcePage(id: number, page: number): void {
    this.updateOne(id, 'source_page = ?', page);
  }

  /** How many images read this source file (several pages of one file share it). */
  countBySourcePath(storedPath: string): number {
    const row = this.db.prepare('SELECT count(*) AS n FROM images WHERE source_path = ?').get(storedPath) as { n: number };
    return row.n;
  }

  /** Content hashes of every ready image, for duplicate detection before a pyramid is built. */
  readyContentHashes(): string[] {
    const rows = this.db
      .prepare("SELECT DISTINCT content_hash AS h FROM images WHERE status = 'ready' AND content_hash IS NOT NULL")
      .all() as { h: string }[];
    return rows.map((r) => r.h);
  }

  setContentHash(id: number, contentHash: string): void {
    this.updateOne(id, 'content_hash = ?', contentHash);
  }

  setNotice(id: number, notice: string | null): void {
    this.updateOne(id, 'notice = ?', notice);
  }

  rename(id: number, name: string): void {
    this.updateOne(id, 'name = ?', name);
  }

  /** Removes the row and (by cascade) its crops, suggestions, annotations and labels. */
  remove(id: number): boolean {
    return this.db.prepare('DELETE FROM images WHERE id = ?').run(id).changes > 0;
  }

  get(id: number): ImageRow | undefined {
    return this.db.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
  }

  list(): ImageRow[] {
    return this.db.prepare('SELECT * FROM images ORDER BY id').all() as ImageRow[];
  }

  listByStatus(status: ImageStatus): ImageRow[] {
    return this.db.prepare('SELECT * FROM images WHERE status = ? ORDER BY id').all(status) as ImageRow[];
  }

  /** The oldest image with these bytes, if any (duplicate detection at import). */
  findByContentHash(contentHash: string): ImageRow | undefined {
    return this.db
      .prepare('SELECT * FROM images WHERE content_hash = ? ORDER BY id LIMIT 1')
      .get(contentHash) as ImageRow | undefined;
  }

  private setStatus(id: number, status: ImageStatus, notice: string | undefined): void {
    if (notice === undefined) this.updateOne(id, 'status = ?', status);
    else this.updateOne(id, 'status = ?, notice = ?', status, notice);
  }

  private updateOne(id: number, assignments: string, ...values: Array<string | number | null>): void {
    const info = this.db
      .prepare(`UPDATE images SET ${assignments}, updated_at = ${NOW} WHERE id = ?`)
      .run(...values, id);
    if (info.changes !== 1) throw new Error(`no image with id ${id}`);
  }
}
