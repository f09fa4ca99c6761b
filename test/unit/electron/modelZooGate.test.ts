// A MICRA-Net model zoo (.hdf5) is chosen in its own file dialog ('model-zoo'), a model folder in
// a folder dialog ('model-import'): models.import passes in Electron only with a path handed out
// for the purpose its extension says, so a folder grant cannot be stretched to a file in it.
import { describe, expect, it } from 'vitest';
import { isMicraNetZooPath, MODEL_ZOO_EXTENSIONS } from '../../../src-shared/modelZooPath';
import { GrantedPaths } from '../../../src-main/electron/grantedPaths';
import { ungrantedPath } from '../../../src-main/electron/pathGate';

describe('model zoo paths', () => {
  it('are told by their extension, in any case', () => {
    expect(MODEL_ZOO_EXTENSIONS).toEqual(['hdf5', 'h5']);
    for (const p of ['/z/EMModelZoo.hdf5', '/z/a.H5', 'rel/zoo.HDF5']) expect(isMicraNetZooPath(p), p).toBe(true);
    for (const p of ['/z/model', '/z/model/manifest.json', '/z/hdf5', '/z/a.h5.json', '/z.hdf5/model']) expect(isMicraNetZooPath(p), p).toBe(false);
  });

  it('pass models.import only when granted as a zoo', () => {
    const granted = new GrantedPaths();
    granted.grant('model-zoo', '/chosen/EMModelZoo.hdf5');
    granted.grant('model-import', '/chosen/folder');
    granted.grant('model-import', '/chosen/other.hdf5');
    expect(ungrantedPath('models.import', { path: '/chosen/EMModelZoo.hdf5', supervision: '1:5' }, granted)).toBeNull();
    expect(ungrantedPath('models.import', { path: '/chosen/folder' }, granted)).toBeNull();
    // Granted as a folder, not as a zoo; and a zoo grant is not a folder grant.
    expect(ungrantedPath('models.import', { path: '/chosen/other.hdf5' }, granted)).toBe('/chosen/other.hdf5');
    granted.grant('model-zoo', '/chosen/zoo-dir');
    expect(ungrantedPath('models.import', { path: '/chosen/zoo-dir' }, granted)).toBe('/chosen/zoo-dir');
  });
});
