// One request of a component (export, compare, rename…): `busy` while it is on its way, so the
// buttons it belongs to are disabled with a reason, and its failure's message in `error` for the
// component to show instead of an exception nobody catches. Components keep the state in a
// `$state(idle())` object, whose fields Svelte tracks when `request` sets them.

export interface RequestState {
  busy: boolean;
  error: string | null;
}

export function idle(): RequestState {
  return { busy: false, error: null };
}

/** What a failure says to the user: an Error's message (ApiRequestError's included), else the value as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs `work` as the component's request: busy until it settles, the error cleared when it starts
 * and set to its failure's message (through `describe`, e.g. to say what failed) when it fails.
 * Never throws; answers whether the work succeeded.
 */
export async function request(state: RequestState, work: () => Promise<unknown>, describe: (message: string) => string = (m) => m): Promise<boolean> {
  state.busy = true;
  state.error = null;
  try {
    await work();
    return true;
  } catch (e) {
    state.error = describe(errorMessage(e));
    return false;
  } finally {
    state.busy = false;
  }
}
