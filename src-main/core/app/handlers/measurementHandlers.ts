// The measurement table and exports. `export.save` needs a save dialog, which only
// Electron has: Electron main replaces this group's handler with `exportSaveHandler(app, dialog)`;
// elsewhere it answers that serve mode downloads (GET /export) instead.
import type { measurementRequests } from '../../../api/channels/measurementChannels';
import type { RequestParams, RequestResult } from '../../../api/types';
import { buildSingleExport, writeExportFile, type ExportFile } from '../../export/exportProject';
import { isAcceptedObject, projectObjects, queriedImages, totalsByImageAndClass } from '../../export/projectObjects';
import type { AppContext, HandlerGroup } from '../appContext';
import { DomainError } from '../../../api/domainError';


/** Asks the user where to save `suggestedName`; null when they cancel. */
export type ChooseSavePath = (suggestedName: string, contentType: string) => Promise<string | null>;

/** The export one request asks for (the core's input errors are DomainErrors already). */
export function exportFor(app: Pick<AppContext, 'requireProject' | 'requireImage'>, request: RequestParams<'export.save'>): ExportFile {
  const { store } = app.requireProject();
  if (request.imageId !== undefined) app.requireImage(request.imageId);
  return buildSingleExport(store, { format: request.format, objects: request.objects ?? 'accepted', ...(request.imageId === undefined ? {} : { imageId: request.imageId }) });
}

export function exportSaveHandler(app: AppContext, choose: ChooseSavePath): (request: RequestParams<'export.save'>) => Promise<RequestResult<'export.save'>> {
  return async (request) => {
    const exported = exportFor(app, request);
    const path = await choose(exported.fileName, exported.contentType);
    if (path === null) return { saved: false, path: null, bytes: 0, objects: exported.objects };
    await writeExportFile(exported, path);
    return { saved: true, path, bytes: exported.bytes, objects: exported.objects };
  };
}

export function measurementHandlers(app: AppContext): HandlerGroup<typeof measurementRequests> {
  return {
    'measurements.list': async ({ imageIds }) => {
      const { store } = app.requireProject();
      imageIds?.forEach((id) => app.requireImage(id));
      const objects = projectObjects(store, imageIds ? { imageIds } : {});
      const totals = totalsByImageAndClass(queriedImages(store, imageIds), store.classes.list(), objects.filter(isAcceptedObject));
      return {
        objects: objects.map((o) => ({
          kind: o.kind,
          id: o.id,
          imageId: o.image.id,
          imageName: o.image.name,
          classId: o.classId,
          className: o.className,
          score: o.score,
          decision: o.decision,
          decidedBy: o.decidedBy,
          decidedAt: o.decidedAt,
          box: [o.region.x, o.region.y, o.region.width, o.region.height] as [number, number, number, number],
          areaPx: o.pixel.areaPx,
          areaUm2: o.physical?.areaUm2 ?? null,
          perimeterPx: o.pixel.perimeterPx,
          perimeterUm: o.physical?.perimeterUm ?? null,
          equivalentDiameterPx: o.pixel.equivalentDiameterPx,
          equivalentDiameterUm: o.physical?.equivalentDiameterUm ?? null,
          centroidX: o.pixel.centroidX,
          centroidY: o.pixel.centroidY,
          centroidXUm: o.physical?.centroidXUm ?? null,
          centroidYUm: o.physical?.centroidYUm ?? null,
        })),
        totals: totals.map((t) => ({
          imageId: t.image.id,
          imageName: t.image.name,
          classId: t.classId,
          className: t.className,
          count: t.count,
          totalAreaPx: t.totalAreaPx,
          totalAreaUm2: t.totalAreaUm2,
        })),
      };
    },
    'export.save': async () => {
      throw new DomainError('bad-request', app.transport === 'serve' ? 'serve mode exports are downloads (GET /export)' : 'no save dialog in this front end');
    },
  };
}
