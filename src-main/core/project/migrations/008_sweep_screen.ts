// Whether a sweep run used its model's screen (issue #19): a small distilled network that rules
// crops out before the full model scores them. 1: crops the screen ruled out carry the screen's
// probability (below the run's threshold) and were not explained; 0: every crop went through the
// full model, as every run made before this migration did.
import type { Migration } from './migration';

export const migration008SweepScreen: Migration = {
  version: 8,
  name: 'sweep screen',
  up(db) {
    db.exec('ALTER TABLE sweep_runs ADD COLUMN screen INTEGER NOT NULL DEFAULT 0 CHECK (screen IN (0, 1))');
  },
};
