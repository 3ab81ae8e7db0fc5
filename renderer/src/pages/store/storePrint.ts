/**
 * How the /store terminal prints, by the service's contract: claim the number, fetch every PDF
 * (the terminal has the documents), and only then confirm. Whatever stops it half-way, the
 * service never counts the number as printed without this terminal holding the documents.
 */
import type { StoreClaimResponse } from '@contract/certificates';
import { ApiFailure, isApiFailure } from '../../api/client';
import { getStoreDocument, postStoreClaim, postStoreConfirm, postStoreFail } from '../../api/store';

/**
 * Why a print stopped after its claim. `failed`: a document did not arrive and the number was
 * given back; `failedLater`: the same, but giving it back failed too (its lease does it);
 * `leaseLost`: the claim no longer holds the number (time ran out, then another terminal or a
 * cancellation came first); `unconfirmed`: the documents arrived but the confirmation got no
 * answer (it may be repeated).
 */
export type PrintStop = 'failed' | 'failedLater' | 'leaseLost' | 'unconfirmed';

export interface FetchedDocument {
  certificateNumber: string;
  copies: number;
  pdf: Blob;
}

/** A claimed print whose documents all arrived, waiting for its confirmation. */
export interface FetchedPrint {
  claim: StoreClaimResponse;
  documents: FetchedDocument[];
}

export type FetchResult = { ok: true; print: FetchedPrint } | { ok: false; refused: ApiFailure } | { ok: false; stop: PrintStop };

const failureOf = (e: unknown): ApiFailure => (isApiFailure(e) ? e : new ApiFailure('generic'));

/** Claims `number` and fetches every document; `progress(n, total)` after each one. */
export async function claimAndFetch(number: string, progress: (fetched: number, total: number) => void): Promise<FetchResult> {
  let claim: StoreClaimResponse;
  try {
    claim = await postStoreClaim(number);
  } catch (e) {
    return { ok: false, refused: failureOf(e) };
  }
  const documents: FetchedDocument[] = [];
  progress(0, claim.documents.length);
  try {
    for (const doc of claim.documents) {
      documents.push({ certificateNumber: doc.certificateNumber, copies: doc.copies, pdf: await getStoreDocument(doc.url) });
      progress(documents.length, claim.documents.length);
    }
  } catch (e) {
    const failure = failureOf(e);
    if (failure.code === 'reservation.claimLost') return { ok: false, stop: 'leaseLost' };
    const released = await postStoreFail(claim.number, claim.claimId, `store simulator: document ${documents.length + 1}: ${failure.code}`).then(
      () => true,
      () => false,
    );
    return { ok: false, stop: released ? 'failed' : 'failedLater' };
  }
  return { ok: true, print: { claim, documents } };
}

/** Confirms a fetched print: printed, or why not (no answer: `unconfirmed`, which may be repeated). */
export async function confirmPrint(print: FetchedPrint): Promise<{ ok: true; printedAt: string } | { ok: false; stop: 'leaseLost' | 'unconfirmed' }> {
  try {
    const done = await postStoreConfirm(print.claim.number, print.claim.claimId);
    return { ok: true, printedAt: done.printedAt };
  } catch (e) {
    const failure = failureOf(e);
    // No answer, or the service failed: it may or may not have recorded it, so ask again later.
    const unknown = failure.code === 'network' || failure.code === 'generic' || failure.status >= 500;
    return { ok: false, stop: unknown ? 'unconfirmed' : 'leaseLost' };
  }
}

/**
 * Gives an unconfirmed print up: the number is printable again (or once its lease runs out).
 * When the service refuses because it had in fact recorded the confirmation, the print is done
 * after all: its printing time is returned and the documents should be shown.
 */
export async function abandonPrint(print: FetchedPrint): Promise<{ printedAt: string } | null> {
  try {
    await postStoreFail(print.claim.number, print.claim.claimId, 'store simulator: given up before confirmation');
    return null;
  } catch (e) {
    if (failureOf(e).code !== 'reservation.claimLost') return null;
    const again = await confirmPrint(print);
    return again.ok ? { printedAt: again.printedAt } : null;
  }
}
