// Every migration, in order. Append new ones; never edit one that has shipped.
import type { Migration } from './migration';
import { migration001Initial } from './001_initial';
import { migration002ImageSourcePage } from './002_image_source_page';
import { migration003Review } from './003_review';
import { migration004Training } from './004_training';
import { migration005SweepMaskMethod } from './005_sweep_mask_method';
import { migration006AnnotationSets } from './006_annotation_sets';
import { migration007BatchPlans } from './007_batch_plans';
import { migration008SweepScreen } from './008_sweep_screen';
import { migration009AnnotationSetDeletions } from './009_annotation_set_deletions';
import { migration010SweepScreenNotice } from './010_sweep_screen_notice';

export const migrations: readonly Migration[] = [migration001Initial, migration002ImageSourcePage, migration003Review, migration004Training, migration005SweepMaskMethod, migration006AnnotationSets, migration007BatchPlans, migration008SweepScreen, migration009AnnotationSetDeletions, migration010SweepScreenNotice];

export const LATEST_SCHEMA_VERSION = migrations.reduce((v, m) => Math.max(v, m.version), 0);
