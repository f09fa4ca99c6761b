// Why a sweep run could not use its model's screen (issue #19): the screen's files were damaged
// or gone when the run started or resumed, so its crops went through the full model. The sweep
// goes on (slower, the same suggestions); the notice tells the user why, beside the run.
// NULL: the run used its screen as planned, or was never meant to.
import type { Migration } from './migration';

export const migration010SweepScreenNotice: Migration = {
  version: 10,
  name: 'sweep screen notice',
  up(db) {
    db.exec('ALTER TABLE sweep_runs ADD COLUMN screen_notice TEXT');
  },
};
