// How a sweep run cut its masks: 'object' (each object measured on a crop centred on it, a
// threshold that follows the object) or 'reference' (the paper's EM mask on the grid crop).
// Runs made before this migration used the reference mask. And what the run found unlike the
// model's training data (bit depth, intensities, far more positives than expected), as a JSON
// array of { kind, message }, so the warning outlives the app session that raised it.
import type { Migration } from './migration';

export const migration005SweepMaskMethod: Migration = {
  version: 5,
  name: 'sweep mask method and warnings',
  up(db) {
    db.exec("ALTER TABLE sweep_runs ADD COLUMN mask_method TEXT NOT NULL DEFAULT 'reference' CHECK (mask_method IN ('object', 'reference'))");
    db.exec("ALTER TABLE sweep_runs ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warnings))");
  },
};
