// `micra region --project DIR --image ID --level L --x X --y Y --width W --height H --out F.tif`:
// a region of one pyramid level, written as a TIFF of the stored bit depth.
import { resolve } from 'node:path';
import { nonNegativeInt, parseCommandArgs, requiredString, UsageError } from '../argv';
import { openProjectStore } from '../../core/project/projectStore';
import { readRegion } from '../../core/imaging/regionReader';
import { writeTiffFile } from '../../core/imaging/tiffWriter';
import { resolveUserPath } from '../../core/project/userPath';

export async function runRegionCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, {
    project: { type: 'string' },
    image: { type: 'string' },
    level: { type: 'string' },
    x: { type: 'string' },
    y: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    out: { type: 'string' },
  });
  const store = openProjectStore(resolveUserPath(requiredString(values.project, 'project')), { create: false });
  try {
    const imageId = nonNegativeInt(values.image, 'image');
    const image = store.images.get(imageId);
    if (!image || image.status !== 'ready') throw new UsageError(`no ready image ${imageId} in this project`);
    const level = nonNegativeInt(values.level, 'level', 0);
    const raster = await readRegion(store.dir, store.imageSummary(image), level, {
      x: nonNegativeInt(values.x, 'x', 0),
      y: nonNegativeInt(values.y, 'y', 0),
      width: nonNegativeInt(values.width, 'width'),
      height: nonNegativeInt(values.height, 'height'),
    });
    await writeTiffFile(resolve(requiredString(values.out, 'out')), raster);
    return 0;
  } finally {
    store.close();
  }
}
