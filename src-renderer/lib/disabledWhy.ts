// Every control the UI disables says why (title: the tooltip, and the accessible description
// Chromium derives from it). A control is disabled exactly when its reason is not null, so the
// condition and the text cannot drift apart. test/unit/renderer/disabledReasons.test.ts checks
// that every element written with `disabled` has a title.

/** The first reason whose condition holds, else null (the control is enabled). */
export function whyDisabled(...reasons: readonly (readonly [boolean, string])[]): string | null {
  for (const [when, why] of reasons) if (when) return why;
  return null;
}

/** The reason of a control disabled while the request it belongs to is on its way. */
export const BUSY_WHY = 'Busy: wait for the request on its way to finish.';
