// The dataset of a training run from a base model, as main builds it: the base's classes when
// the project has them all (its head stays meaningful), else the project's, with fresh head rows
// for the classes the base does not know (baseClassPlan.ts); crops of the base's input size
// unless one is asked for. One place, shared by startTraining and by the background feature
// preparation (featurePrepScheduler.ts), which must read exactly the crops the retrain will.
import type { ProjectStore } from '../../project/projectStore';
import { buildDataset } from '../dataset/buildDataset';
import { planBaseClasses, type BaseClassPlan } from './baseClassPlan';
import { resolveBaseModel, type BaseModelChoice, type ResolvedBase } from './baseModels';

export interface RunDataset {
  resolved: ResolvedBase | null;
  plan: BaseClassPlan | null;
  cropSize: number;
  built: ReturnType<typeof buildDataset>;
}

export async function runDataset(store: ProjectStore, choice: BaseModelChoice | undefined, o: { cropSize: number | undefined; defaultCropSize: number; puRatio: number }): Promise<RunDataset> {
  let cropSize = o.cropSize ?? o.defaultCropSize;
  let classIds: number[] | undefined;
  let resolved: ResolvedBase | null = null;
  let plan: BaseClassPlan | null = null;
  if (choice !== undefined) {
    resolved = await resolveBaseModel(store, choice);
    if (o.cropSize === undefined) cropSize = resolved.card.inputSize;
    plan = planBaseClasses(resolved.card.classes, store.classes.list());
    if (plan.classIds) classIds = plan.classIds;
  }
  return { resolved, plan, cropSize, built: buildDataset(store, { cropSize, puRatio: o.puRatio, ...(classIds ? { classIds } : {}) }) };
}
