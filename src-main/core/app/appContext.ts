// What request handlers see of the application: the open project and the ways to act on it.
import type { AppInfo, ImportOutcome, ProjectInfo } from '../../api/types';
import type { ComputeHost } from '../jobs/computeHost';
import type { JobRunner } from '../jobs/jobRunner';
import type { ImageRow } from '../project/imagesRepo';
import type { ProjectStore } from '../project/projectStore';
import type { SweepService } from '../review/sweepService';
import type { FeaturePrepScheduler } from '../ml/training/featurePrepScheduler';
import type { AppEvents } from './appEvents';
import type { RequestHandlers } from './requestDispatcher';

export interface OpenProject {
  store: ProjectStore;
  runner: JobRunner;
  /** One compute process per open project: job ids are the project's own jobs rows. */
  host: ComputeHost;
  /** The project's sweeps: made when the project opens, so runs a crash interrupted are closed and their journals ingested at once. */
  sweeps: SweepService;
  /** Computes newly labelled crops' features for the next retrain, in the background; sweeps and training runs start through its yieldWhile. */
  featurePrep: FeaturePrepScheduler;
}

export interface AppContext {
  readonly events: AppEvents;
  readonly transport: AppInfo['transport'];
  readonly version: string;
  projectInfo(): ProjectInfo | null;
  openProject(dir: string, create: boolean): Promise<ProjectInfo>;
  /** The open project, or a DomainError('no-project'). */
  requireProject(): OpenProject;
  /** An image of the open project, or a DomainError('not-found'). */
  requireImage(id: number): ImageRow;
  importFile(path: string, displayName?: string): Promise<ImportOutcome>;
}

/**
 * A domain's share of the MicraApi handlers: one for each channel of its request map
 * (api/channels/*Channels.ts), so a channel added to the map is a type error until handled.
 */
export type HandlerGroup<Requests extends { [C in keyof Requests]: C extends keyof RequestHandlers ? unknown : never }> = Pick<RequestHandlers, keyof Requests & keyof RequestHandlers>;
