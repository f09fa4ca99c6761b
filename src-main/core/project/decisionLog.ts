// Current state from the decision log. A decision is in effect unless an undo that is itself
// in effect names it; so undoing an undo restores (redoes) the original. Because an undo always
// names an earlier decision, one pass from the newest decision to the oldest settles them all.

export interface LoggedDecision {
  id: number;
  action: string;
  undoOf: number | null;
}

/** Ids of the decisions in effect. */
export function decisionsInEffect(log: readonly LoggedDecision[]): Set<number> {
  const newestFirst = [...log].sort((a, b) => b.id - a.id);
  const undone = new Set<number>();
  const inEffect = new Set<number>();
  for (const d of newestFirst) {
    if (undone.has(d.id)) continue;
    inEffect.add(d.id);
    if (d.undoOf !== null) undone.add(d.undoOf);
  }
  return inEffect;
}

/**
 * The decision that sets the current state of one target: the newest non-undo decision in
 * effect, or undefined when every decision on it has been undone.
 */
export function currentDecision<D extends LoggedDecision>(log: readonly D[]): D | undefined {
  const inEffect = decisionsInEffect(log);
  let current: D | undefined;
  for (const d of log) {
    if (d.undoOf !== null || !inEffect.has(d.id)) continue;
    if (!current || d.id > current.id) current = d;
  }
  return current;
}
