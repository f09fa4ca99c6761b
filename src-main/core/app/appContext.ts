// What request handlers see of the application: the open project and the ways to act on it.
import type { ImportOutcome, ProjectInfo } from '../../api/types';
import type { ComputeHost } from '../jobs/computeHost';
import type { JobRunner } from '../jobs/jobRunner';
import type { ImageRow } from '../project/imagesRepo';
import type { ProjectStore } from '../project/projectStore';
import type { AppEvents } from './appEvents';
import type { RequestHandlers } from './requestDispatcher';

export interface OpenProject {
  store: ProjectStore;
  runner: JobRunner;
  /** One compute process per open project: job ids are the project's own jobs rows. */
  host: ComputeHost;
}

export interface AppContext {
  readonly events: AppEvents;
  readonly transport: 'electron' | 'serve';
  readonly version: string;
  projectInfo(): ProjectInfo | null;
  openProject(dir: string, create: boolean): Promise<ProjectInfo>;
  /** The open project, or an ApiFailure('no-project'). */
  requireProject(): OpenProject;
  /** An image of the open project, or an ApiFailure('not-found'). */
  requireImage(id: number): ImageRow;
  importFile(path: string, displayName?: string): Promise<ImportOutcome>;
}

/** A domain's share of the MicraApi handlers. */
export type HandlerGroup<C extends keyof RequestHandlers> = Pick<RequestHandlers, C>;
