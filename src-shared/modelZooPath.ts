// Which files are model zoos of the original MICRA-Net code (HDF5), told by their extension:
// the model import, Electron's file dialog and path check, and the models list (which shows the
// zoo's fields for such a path) must agree.
export const MODEL_ZOO_EXTENSIONS = ['hdf5', 'h5'] as const;

export function isMicraNetZooPath(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot >= 0 && (MODEL_ZOO_EXTENSIONS as readonly string[]).includes(file.slice(dot + 1).toLowerCase());
}
