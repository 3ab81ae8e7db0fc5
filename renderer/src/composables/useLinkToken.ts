import { onMounted, shallowRef } from 'vue';
import { ApiFailure, isApiFailure } from '../api/client';

/** Why a mailed one-time link cannot be used (any more). */
export type LinkProblem = 'expired' | 'used' | 'unknown';

/** The states of a link landing page before its own content shows. */
export type LinkLandingState =
  { kind: 'checking' } | { kind: 'checkFailed'; failure: ApiFailure } | { kind: 'noToken' } | { kind: 'linkProblem'; problem: LinkProblem };

/** Where a page keeps its one-time token (in memory, taken out of the address bar by the router). */
export interface TokenHolder {
  get(): string | null;
  clear(): void;
}

/** The link problem a service failure stands for, or null when the link itself may still be good. */
export function linkProblemOf(f: ApiFailure): LinkProblem | null {
  if (f.code === 'token.expired') return 'expired';
  if (f.code === 'token.used') return 'used';
  if (f.code === 'token.unknown' || f.fields.token) return 'unknown';
  return null;
}

export function isLinkLanding(s: { kind: string }): s is LinkLandingState {
  return s.kind === 'checking' || s.kind === 'checkFailed' || s.kind === 'noToken' || s.kind === 'linkProblem';
}

/**
 * A page opened from a mailed one-time link: checks the token on arrival (without using it up)
 * and turns the answer into the page's first own state, or into checking / checkFailed /
 * noToken / linkProblem (see LinkLanding.vue). The token is forgotten once it is known to be bad.
 */
export function useLinkToken<S extends { kind: string }>(holder: TokenHolder, check: (token: string) => Promise<S>) {
  const token = holder.get();
  const state = shallowRef<S | LinkLandingState>(token ? { kind: 'checking' } : { kind: 'noToken' });

  /** Forgets the token and shows the link problem. */
  function showProblem(problem: LinkProblem) {
    holder.clear();
    state.value = { kind: 'linkProblem', problem };
  }

  /** Shows the link problem when the failure is one; returns whether it was. */
  function failLink(f: ApiFailure): boolean {
    const problem = linkProblemOf(f);
    if (problem) showProblem(problem);
    return problem !== null;
  }

  async function checkLink() {
    if (!token) return;
    state.value = { kind: 'checking' };
    try {
      state.value = await check(token);
    } catch (e) {
      const f = isApiFailure(e) ? e : new ApiFailure('generic');
      if (!failLink(f)) state.value = { kind: 'checkFailed', failure: f };
    }
  }
  onMounted(checkLink);

  return { token, state, checkLink, failLink, showProblem };
}
