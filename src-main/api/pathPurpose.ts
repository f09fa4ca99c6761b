// What a file path chosen in Electron is for. In Electron the renderer never names a path main
// has not handed out: main shows the native dialog for one of these purposes (or takes a
// dropped file) and grants the path for that purpose only (src-main/electron/grantedPaths.ts).
import { z } from 'zod';

export const PathPurposeSchema = z.enum([
  /** A project folder to open or create (project.open). */
  'project',
  /** A TIFF to import or to relink an image to (images.importPaths, images.relink). */
  'image',
  /** A model folder to import (models.import). */
  'model-import',
  /** A model zoo of the original MICRA-Net code (.hdf5) to import (models.import). */
  'model-zoo',
  /** A folder to export a model into (models.export). */
  'model-export',
]);

export type PathPurpose = z.infer<typeof PathPurposeSchema>;
