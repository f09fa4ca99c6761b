// The application as main sees it: at most one open project, the job runner over the compute
// process, the MicraApi handlers, the tile handler and the event hub. Electron, serve mode and
// the CLI each wrap this one object in their own transport.
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AppInfo, ImportOutcome, ProjectInfo } from '../../api/types';
import { discardPartialPyramids, readThumbnail, readTile } from '../imaging/tileStore';
import { ComputeHost } from '../jobs/computeHost';
import type { ComputeChannelFactory } from '../jobs/computeChannel';
import { JobRunner } from '../jobs/jobRunner';
import { SOURCES_DIR } from '../project/projectLayout';
import type { ImageRow } from '../project/imagesRepo';
import { openProjectStore, type ProjectStore } from '../project/projectStore';
import { SweepService } from '../review/sweepService';
import { FeaturePrepScheduler } from '../ml/training/featurePrepScheduler';
import { AppEvents } from './appEvents';
import { importDepsOf, importFile, importImage, resumeInterruptedImports, type ImportChoices, type ImportDeps, type ImportPathOutcome } from './importService';
import type { AppContext, OpenProject } from './appContext';
import { createRequestHandlers } from './handlers';
import type { RequestHandlers } from './requestDispatcher';
import { createTileHandler, createTileReader, type TileHandler, type TileLookup, type TileReader } from './tileHandler';
import { storeUpload } from './uploadStore';
import { DomainError } from '../../api/domainError';

export interface MicraAppOptions {
  transport: AppInfo['transport'];
  computeChannel: ComputeChannelFactory;
  version?: string;
}

export class MicraApp implements AppContext {
  readonly events = new AppEvents();
  readonly handlers: RequestHandlers;
  readonly readTile: TileReader;
  readonly tileHandler: TileHandler;
  private project: OpenProject | null = null;
  /** Settles when the imports resumed at the last project open have finished (or failed). */
  resumingImports: Promise<void> = Promise.resolve();

  constructor(private readonly options: MicraAppOptions) {
    this.handlers = createRequestHandlers(this);
    this.readTile = createTileReader(() => this.tileLookup());
    this.tileHandler = createTileHandler(this.readTile);
  }

  projectInfo(): ProjectInfo | null {
    if (!this.project) return null;
    const { store } = this.project;
    return { dir: store.dir, name: basename(store.dir), schemaVersion: store.schemaVersion };
  }

  async openProject(dir: string, create: boolean): Promise<ProjectInfo> {
    await this.closeProject();
    const store = openProjectStore(dir, { create });
    // A pyramid left half-built by a crash is never shown: its image is imported again below.
    discardPartialPyramids(store.dir);
    const host = new ComputeHost(this.options.computeChannel);
    const runner = new JobRunner({ jobs: store.jobs, host, onUpdate: (job) => this.events.emit('job.updated', job) });
    this.project = { store, runner, host, sweeps: new SweepService(store, runner, this.events), featurePrep: new FeaturePrepScheduler({ store, runner, events: this.events }) };
    this.resumingImports = resumeInterruptedImports(this.importDeps(store, runner)).catch((err: unknown) => {
      console.error('resuming interrupted imports failed:', err);
    });
    const info = this.projectInfo();
    if (!info) throw new Error('project failed to open');
    this.events.emit('project.changed', info);
    return info;
  }

  importFile(path: string, displayName?: string): Promise<ImportOutcome> {
    const { store, runner } = this.requireProject();
    return importImage(this.importDeps(store, runner), { path, displayName });
  }

  private importDeps(store: ProjectStore, runner: JobRunner): ImportDeps {
    return importDepsOf(store, runner, this.events);
  }

  /** An uploaded file (serve mode): one outcome per page imported, as images.importPaths gives. */
  async importUpload(originalName: string, body: Readable, choices: ImportChoices = {}): Promise<ImportPathOutcome[]> {
    const { store, runner } = this.requireProject();
    let path: string;
    try {
      path = await storeUpload(join(store.dir, SOURCES_DIR), originalName, body);
    } catch (err) {
      return [{ ok: false, file: originalName, error: err instanceof Error ? err.message : String(err) }];
    }
    return importFile(this.importDeps(store, runner), { ...choices, path, displayName: originalName, ownedCopy: true });
  }

  async close(): Promise<void> {
    await this.closeProject();
  }

  private async closeProject(): Promise<void> {
    const open = this.project;
    if (!open) return;
    this.project = null;
    open.featurePrep.dispose();
    // The compute process goes with the project: its jobs end as 'failed' (interrupted).
    open.host.dispose();
    // Let the runner record those endings before the database closes.
    await new Promise((resolve) => setImmediate(resolve));
    open.store.close();
  }

  get transport(): AppInfo['transport'] {
    return this.options.transport;
  }

  get version(): string {
    return this.options.version ?? '0.1.0';
  }

  requireProject(): OpenProject {
    if (!this.project) throw new DomainError('no-project', 'no project is open');
    return this.project;
  }

  requireImage(id: number): ImageRow {
    const row = this.requireProject().store.images.get(id);
    if (!row) throw new DomainError('not-found', `no image ${id} in this project`);
    return row;
  }

  private tileLookup(): TileLookup | null {
    const open = this.project;
    if (!open) return null;
    const { store } = open;
    const known = (imageId: number) => {
      const image = store.images.get(imageId);
      return image && image.status !== 'failed' ? image : null;
    };
    return {
      readTile: async (imageId, level, col, row) => {
        const image = known(imageId);
        if (!image || level >= image.levels) return null;
        const levelWidth = Math.ceil(image.width / 2 ** level);
        const levelHeight = Math.ceil(image.height / 2 ** level);
        if (col * image.tile_size >= levelWidth || row * image.tile_size >= levelHeight) return null;
        return readTile(store.dir, imageId, level, col, row);
      },
      readThumbnail: async (imageId) => (known(imageId) ? readThumbnail(store.dir, imageId) : null),
    };
  }
}
