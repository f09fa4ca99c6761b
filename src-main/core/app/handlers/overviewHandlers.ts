import type { overviewRequests } from '../../../api/channels/overviewChannels';
import { projectOverview, type ImageOverview } from '../../export/projectOverview';
import type { AppContext, HandlerGroup } from '../appContext';

/** The API's shape of one overview row (the core row carries the whole images row). */
function overviewRow(row: ImageOverview) {
  const { image, ...rest } = row;
  return {
    imageId: image.id,
    name: image.name,
    status: image.status,
    width: image.width,
    height: image.height,
    pixelSizeNm: image.pixel_size_nm,
    ...rest,
  };
}

export function overviewHandlers(app: AppContext): HandlerGroup<typeof overviewRequests> {
  return {
    'images.overview': async ({ imageIds }) => {
      const { store } = app.requireProject();
      imageIds?.forEach((id) => app.requireImage(id));
      return projectOverview(store, imageIds).map(overviewRow);
    },
  };
}
