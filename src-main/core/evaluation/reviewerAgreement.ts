// How far reviewers agree on the same suggestions (issue 15's blinded review, compared
// afterwards). Each reviewer (a decision's actor) has their own verdict on a suggestion: the
// newest of their own accept/decline/later decisions still in effect, their own undos counted
// (core/project/decisionLog) — what that reviewer would see in a blinded review, whatever the
// others decided. 'later' is no verdict. For every pair of reviewers, on the suggestions both
// judged: how many they agree on, the share, and Cohen's kappa (agreement beyond what their
// accept rates give by chance; null when chance explains everything, e.g. both accept all).
import { currentDecision } from '../project/decisionLog';
import type { Decision } from '../project/decisionsRepo';
import type { ProjectStore } from '../project/projectStore';

export type Verdict = 'accept' | 'decline';

export interface ReviewerSummary {
  actor: string;
  accepted: number;
  declined: number;
}

export interface ReviewerPair {
  a: string;
  b: string;
  /** Suggestions both judged (accept or decline). */
  both: number;
  agree: number;
  /** agree / both; null when they judged nothing in common. */
  agreement: number | null;
  kappa: number | null;
  /** Accepted by a and declined by b, and the other way round. */
  onlyA: number;
  onlyB: number;
}

export interface ReviewerAgreement {
  imageId: number | null;
  reviewers: ReviewerSummary[];
  pairs: ReviewerPair[];
}

/** Per suggestion and actor, the actor's own verdict (blind to the others' decisions). */
export function verdictsByActor(decisions: readonly Decision[]): Map<number, Map<string, Verdict>> {
  const logs = new Map<string, Decision[]>();
  for (const d of decisions) {
    const key = `${d.targetId}\u0000${d.actor}`;
    const log = logs.get(key) ?? [];
    log.push(d);
    logs.set(key, log);
  }
  const out = new Map<number, Map<string, Verdict>>();
  for (const log of logs.values()) {
    const current = currentDecision(log);
    if (!current || (current.action !== 'accept' && current.action !== 'decline')) continue;
    const perActor = out.get(current.targetId) ?? new Map<string, Verdict>();
    perActor.set(current.actor, current.action);
    out.set(current.targetId, perActor);
  }
  return out;
}

export function pairAgreement(a: string, b: string, verdicts: ReadonlyMap<number, ReadonlyMap<string, Verdict>>): ReviewerPair {
  let both = 0;
  let agree = 0;
  let aAccepts = 0;
  let bAccepts = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const perActor of verdicts.values()) {
    const va = perActor.get(a);
    const vb = perActor.get(b);
    if (!va || !vb) continue;
    both++;
    if (va === vb) agree++;
    if (va === 'accept') aAccepts++;
    if (vb === 'accept') bAccepts++;
    if (va === 'accept' && vb === 'decline') onlyA++;
    if (va === 'decline' && vb === 'accept') onlyB++;
  }
  if (both === 0) return { a, b, both, agree, agreement: null, kappa: null, onlyA, onlyB };
  const po = agree / both;
  const pa = aAccepts / both;
  const pb = bAccepts / both;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  return { a, b, both, agree, agreement: po, kappa: pe >= 1 ? null : (po - pe) / (1 - pe), onlyA, onlyB };
}

export function reviewerAgreement(store: ProjectStore, o: { imageId?: number | undefined } = {}): ReviewerAgreement {
  const verdicts = verdictsByActor(store.decisions.listForSuggestionsOf(o.imageId ?? null));
  const summaries = new Map<string, ReviewerSummary>();
  for (const perActor of verdicts.values())
    for (const [actor, v] of perActor) {
      const s = summaries.get(actor) ?? { actor, accepted: 0, declined: 0 };
      if (v === 'accept') s.accepted++;
      else s.declined++;
      summaries.set(actor, s);
    }
  const reviewers = [...summaries.values()].sort((x, y) => x.actor.localeCompare(y.actor));
  const pairs: ReviewerPair[] = [];
  for (const [i, x] of reviewers.entries()) for (const y of reviewers.slice(i + 1)) pairs.push(pairAgreement(x.actor, y.actor, verdicts));
  return { imageId: o.imageId ?? null, reviewers, pairs };
}
