// The native dialogs behind `choosePath`: main asks the user for a path for one purpose and
// grants what they chose (the renderer cannot name a path main did not hand out).
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { PathPurpose } from '../api/pathPurpose';
import { MODEL_ZOO_EXTENSIONS } from '../../src-shared/modelZooPath';
import type { GrantedPaths } from './grantedPaths';

export const DIALOG_OPTIONS: Record<PathPurpose, OpenDialogOptions> = {
  project: { title: 'Open or create a project folder', buttonLabel: 'Choose', properties: ['openDirectory', 'createDirectory', 'promptToCreate'] },
  image: { title: 'Choose a TIFF image', properties: ['openFile'], filters: [{ name: 'TIFF images', extensions: ['tif', 'tiff', 'btf', 'tf8'] }] },
  'model-import': { title: 'Choose a model folder to import', properties: ['openDirectory'] },
  'model-zoo': { title: 'Choose a MICRA-Net model zoo to import', properties: ['openFile'], filters: [{ name: 'MICRA-Net model zoos', extensions: [...MODEL_ZOO_EXTENSIONS] }] },
  'model-export': { title: 'Choose a folder to export the model into', buttonLabel: 'Export here', properties: ['openDirectory', 'createDirectory', 'promptToCreate'] },
};

/** Shows the dialog for `purpose`; the chosen path, granted for that purpose, or null when cancelled. */
export async function choosePathWithDialog(owner: BrowserWindow | null, purpose: PathPurpose, granted: GrantedPaths): Promise<string | null> {
  const options = DIALOG_OPTIONS[purpose];
  const result = owner && !owner.isDestroyed() ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  const [path] = result.filePaths;
  if (result.canceled || !path) return null;
  granted.grant(purpose, path);
  return path;
}
