// Which classes a model fine-tuned from a base learns, and what happens to the base's linear
// head. The rule (shown to the user before a run starts, see baseModels.ts):
//   - the project has every class the base knows (by name): the new model keeps the base's
//     classes, in the base's order, and its head is kept whole;
//   - otherwise the classes differ: the new model learns the project's classes; head rows of
//     classes the base knows by the same name are kept, the rows of the others are
//     re-initialised (seeded). A head row trained for another class is no starting point: its
//     weights score the wrong features, and a fresh row learns faster than it unlearns.
// Every fine-tuning mode trains the head (architecture.ts: the linear layer always trains), so a
// re-initialised row always learns; no mode freezes it, so none has to be refused here.

export interface ProjectClass {
  id: number;
  name: string;
}

export interface BaseClassPlan {
  /** True when the new model keeps the base's classes (and its head). */
  sameClasses: boolean;
  /** Classes the new model learns, in order (project class ids); null: all of the project's. */
  classIds: number[] | null;
  /** Names of the classes the new model learns. */
  classes: string[];
  /** Of those, the ones whose head row starts fresh (unknown to the base). */
  newHeadRows: string[];
  /** One sentence for the user. */
  message: string;
}

const list = (names: readonly string[]): string => (names.length === 0 ? 'none' : names.map((n) => `"${n}"`).join(', '));

export function planBaseClasses(baseClasses: readonly string[], projectClasses: readonly ProjectClass[]): BaseClassPlan {
  const byName = new Map(projectClasses.map((c) => [c.name, c.id]));
  const ids = baseClasses.map((name) => byName.get(name));
  if (baseClasses.length > 0 && ids.every((id): id is number => id !== undefined)) {
    return {
      sameClasses: true,
      classIds: ids,
      classes: [...baseClasses],
      newHeadRows: [],
      message: `Same classes: the new model learns ${list(baseClasses)} and keeps the base's classifier head.`,
    };
  }
  const classes = projectClasses.map((c) => c.name);
  const known = new Set(baseClasses);
  const newHeadRows = classes.filter((n) => !known.has(n));
  const missing = baseClasses.filter((n) => !byName.has(n));
  const message =
    classes.length === 0
      ? `Classes differ: the base knows ${list(baseClasses)}, and this project has no classes yet.`
      : `Classes differ: the base knows ${list(baseClasses)}, this project labels ${list(classes)}` +
        (missing.length > 0 ? ` (no ${list(missing)} here)` : '') +
        `. The new model learns the project's classes; the classifier head starts fresh for ${list(newHeadRows)}` +
        ` and is trained in every layer choice, while the convolutional layers start from the base.`;
  return { sameClasses: false, classIds: null, classes, newHeadRows, message };
}
