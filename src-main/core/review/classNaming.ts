// The name and colour an object shows for its class: what the project's classes table says, or a
// placeholder when the class is gone, so a region never loses its label. Export, the measurement
// table and "retrain from decisions" name classes through this one function.
import type { ProjectStore } from '../project/projectStore';

export interface ClassNaming {
  className: string;
  color: string;
}

/** Reads the classes once; the function it returns names a class id. */
export function classNamer(store: ProjectStore): (classId: number) => ClassNaming {
  const classes = new Map(store.classes.list().map((c) => [c.id, c]));
  return (classId) => {
    const cls = classes.get(classId);
    return { className: cls?.name ?? `class ${classId}`, color: cls?.color ?? '#ff0000' };
  };
}
