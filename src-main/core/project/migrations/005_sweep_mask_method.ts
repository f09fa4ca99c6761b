// How a sweep run cut its masks: 'object' (each object measured on a crop centred on it, a
// threshold that follows the object) or 'reference' (the paper's EM mask on the grid crop).
// Runs made before this migration used the reference mask.
import type { Migration } from './migration';

export const migration005SweepMaskMethod: Migration = {
  version: 5,
  name: 'sweep mask method',
  up(db) {
    db.exec("ALTER TABLE sweep_runs ADD COLUMN mask_method TEXT NOT NULL DEFAULT 'reference' CHECK (mask_method IN ('object', 'reference'))");
  },
};
