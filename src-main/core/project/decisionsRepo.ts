// The append-only decision log and the projections kept in step with it. Appending is the only
// write; an undo is appended as a decision naming the one it reverts.
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { currentDecision, decisionsInEffect } from './decisionLog';

export type DecisionTargetKind = 'crop' | 'suggestion' | 'annotation' | 'image';

export const LabelValueSchema = z.enum(['present', 'absent', 'skip']);
export type LabelValue = z.infer<typeof LabelValueSchema>;
/** Payload of a 'label' decision on a crop. */
export const LabelPayloadSchema = z.object({ value: LabelValueSchema });

export interface Decision {
  id: number;
  createdAt: string;
  actor: string;
  targetKind: DecisionTargetKind;
  targetId: number;
  classId: number | null;
  action: string;
  payload: unknown;
  modelId: number | null;
  undoOf: number | null;
}

export interface NewDecision {
  actor: string;
  targetKind: DecisionTargetKind;
  targetId: number;
  classId: number | null;
  action: string;
  payload?: unknown;
  /** The model whose suggestion (or prediction) was being judged, if any. */
  modelId?: number | null;
}

/** A decisions row as SQLite returns it. */
export interface DecisionDbRow {
  id: number;
  created_at: string;
  actor: string;
  target_kind: DecisionTargetKind;
  target_id: number;
  class_id: number | null;
  action: string;
  payload: string;
  model_id: number | null;
  undo_of: number | null;
}

/** Maps a decisions row (SELECT *) to a Decision. */
export function decisionFromRow(row: DecisionDbRow): Decision {
  return {
    id: row.id,
    createdAt: row.created_at,
    actor: row.actor,
    targetKind: row.target_kind,
    targetId: row.target_id,
    classId: row.class_id,
    action: row.action,
    payload: JSON.parse(row.payload) as unknown,
    modelId: row.model_id,
    undoOf: row.undo_of,
  };
}

export class DecisionsRepo {
  /** Prepared once: an export asks it of every object. */
  private actorAndTimeStatement: Statement<[number], { actor: string; createdAt: string }> | null = null;

  constructor(private readonly db: Database) {}

  /** Appends a decision and updates the projections, in one transaction. */
  append(decision: NewDecision): Decision {
    if (decision.action === 'undo') throw new Error("use undo() to append an 'undo' decision");
    if (decision.targetKind === 'crop' && decision.action === 'label') {
      if (decision.classId === null) throw new Error('a label decision needs a class');
      LabelPayloadSchema.parse(decision.payload);
    }
    return this.db.transaction(() => {
      const appended = this.insert({ ...decision, undoOf: null });
      this.refreshProjections(appended);
      return appended;
    })();
  }

  /**
   * Appends an undo of decision `decisionId` (which must be in effect). Undoing an undo is a redo.
   */
  undo(decisionId: number, actor: string): Decision {
    return this.db.transaction(() => {
      const target = this.get(decisionId);
      if (!target) throw new Error(`no decision with id ${decisionId}`);
      const log = this.listForTarget(target.targetKind, target.targetId, target.classId);
      if (!decisionsInEffect(log).has(decisionId)) throw new Error(`decision ${decisionId} is already undone`);
      const appended = this.insert({
        actor,
        targetKind: target.targetKind,
        targetId: target.targetId,
        classId: target.classId,
        action: 'undo',
        payload: {},
        modelId: target.modelId,
        undoOf: decisionId,
      });
      this.refreshProjections(appended);
      return appended;
    })();
  }

  get(id: number): Decision | undefined {
    const row = this.db.prepare('SELECT * FROM decisions WHERE id = ?').get(id) as DecisionDbRow | undefined;
    return row && decisionFromRow(row);
  }

  /** The whole log, oldest first (audit, export). */
  list(afterId = 0, limit = 10_000): Decision[] {
    const rows = this.db
      .prepare('SELECT * FROM decisions WHERE id > ? ORDER BY id LIMIT ?')
      .all(afterId, limit) as DecisionDbRow[];
    return rows.map(decisionFromRow);
  }

  /** Every decision on one target (and class; null means decisions made without a class). */
  listForTarget(targetKind: DecisionTargetKind, targetId: number, classId: number | null): Decision[] {
    const rows = this.db
      .prepare('SELECT * FROM decisions WHERE target_kind = ? AND target_id = ? AND class_id IS ? ORDER BY id')
      .all(targetKind, targetId, classId) as DecisionDbRow[];
    return rows.map(decisionFromRow);
  }

  /** Who made decision `id`, and when (without parsing its payload). */
  actorAndTime(id: number): { actor: string; createdAt: string } | undefined {
    this.actorAndTimeStatement ??= this.db.prepare<[number], { actor: string; createdAt: string }>('SELECT actor, created_at AS createdAt FROM decisions WHERE id = ?');
    return this.actorAndTimeStatement.get(id);
  }

  /** Every decision on the suggestions of one image (of the whole project when null), oldest first. */
  listForSuggestionsOf(imageId: number | null): Decision[] {
    const rows = this.db
      .prepare(
        `SELECT d.* FROM decisions d WHERE d.target_kind = 'suggestion'
           AND d.target_id IN (SELECT id FROM suggestions WHERE ? IS NULL OR image_id = ?) ORDER BY d.id`,
      )
      .all(imageId, imageId) as DecisionDbRow[];
    return rows.map(decisionFromRow);
  }

  /** Every decision on the annotations of one image, oldest first. */
  listForAnnotationsOf(imageId: number): Decision[] {
    const rows = this.db
      .prepare(
        `SELECT d.* FROM decisions d JOIN annotations a ON d.target_kind = 'annotation' AND d.target_id = a.id
         WHERE a.image_id = ? ORDER BY d.id`,
      )
      .all(imageId) as DecisionDbRow[];
    return rows.map(decisionFromRow);
  }

  /** Every decision on the suggestions and annotations of one image (its review items), oldest first. */
  listForReviewItemsOf(imageId: number): Decision[] {
    const rows = this.db
      .prepare(
        `SELECT d.* FROM decisions d WHERE
           (d.target_kind = 'suggestion' AND d.target_id IN (SELECT id FROM suggestions WHERE image_id = ?))
           OR (d.target_kind = 'annotation' AND d.target_id IN (SELECT id FROM annotations WHERE image_id = ?))
         ORDER BY d.id`,
      )
      .all(imageId, imageId) as DecisionDbRow[];
    return rows.map(decisionFromRow);
  }

  /** The newest `limit` crop-label decisions (undone or not), newest first. */
  recentCropLabels(limit: number): Array<{ id: number; target_id: number; class_id: number }> {
    return this.db
      .prepare("SELECT id, target_id, class_id FROM decisions WHERE target_kind = 'crop' AND action = 'label' ORDER BY id DESC LIMIT ?")
      .all(limit) as Array<{ id: number; target_id: number; class_id: number }>;
  }

  /** The decision that sets the target's current state, or undefined when none is in effect. */
  current(targetKind: DecisionTargetKind, targetId: number, classId: number | null): Decision | undefined {
    return currentDecision(this.listForTarget(targetKind, targetId, classId));
  }

  private insert(d: NewDecision & { undoOf: number | null }): Decision {
    const info = this.db
      .prepare(
        `INSERT INTO decisions (actor, target_kind, target_id, class_id, action, payload, model_id, undo_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        d.actor,
        d.targetKind,
        d.targetId,
        d.classId,
        d.action,
        JSON.stringify(d.payload ?? {}),
        d.modelId ?? null,
        d.undoOf,
      );
    const appended = this.get(Number(info.lastInsertRowid));
    if (!appended) throw new Error('decision vanished after insert');
    return appended;
  }

  /** Rewrites the projection rows the decision's target has (the crop's label for its class). */
  private refreshProjections(d: Decision): void {
    if (d.targetKind !== 'crop' || d.classId === null) return;
    const current = this.current('crop', d.targetId, d.classId);
    const label = current?.action === 'label' ? LabelPayloadSchema.parse(current.payload).value : null;
    if (label === null) {
      this.db.prepare('DELETE FROM labels WHERE crop_id = ? AND class_id = ?').run(d.targetId, d.classId);
    } else {
      this.db
        .prepare(
          `INSERT INTO labels (crop_id, class_id, value, decision_id) VALUES (?, ?, ?, ?)
           ON CONFLICT (crop_id, class_id) DO UPDATE SET value = excluded.value, decision_id = excluded.decision_id`,
        )
        .run(d.targetId, d.classId, label, current?.id);
    }
  }
}
