/**
 * Bitstring Status List (W3C, v1.0): the revocation bits of many credentials in one list. Bit i,
 * most significant bit of byte 0 first, is 1 when the credential at index i is revoked. The list
 * is GZIP-compressed and multibase-encoded as base64url without padding, prefix `u`. Every list
 * has STATUS_LIST_BITS entries (the spec's minimum of 16 KB, so that one index hides among many);
 * a certificate's index over all lists (`CertificateStore.credentialStatus.indexOf`) falls in list
 * 1 + ⌊index / STATUS_LIST_BITS⌋ at the position index mod STATUS_LIST_BITS.
 */
import { Buffer } from 'node:buffer';
import { randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

export const STATUS_LIST_BITS = 131_072;

/**
 * An index for the next certificate when `taken` are given already: drawn at random over as many
 * whole lists as keep them at most half full, so that an index tells nothing of when or in what
 * order its credential was issued (the spec's advice against correlation), and a free one is found
 * in a try or two (the store takes the first of STATUS_INDEX_TRIES of them that is free).
 */
export function randomStatusIndex(taken: number): number {
  const lists = Math.max(1, Math.ceil(((taken + 1) * 2) / STATUS_LIST_BITS));
  return randomInt(lists * STATUS_LIST_BITS);
}

/** How many candidates a new index is drawn from (all taken, with lists at most half full: 2^-32 odds). */
export const STATUS_INDEX_TRIES = 32;

/** The candidates for the next certificate's index when `taken` are given already. */
export const statusIndexCandidates = (taken: number): number[] => Array.from({ length: STATUS_INDEX_TRIES }, () => randomStatusIndex(taken));

/** Which list holds the credential at `index` (over all lists), and where in it. */
export const statusListPosition = (index: number): { list: number; position: number } => ({
  list: 1 + Math.floor(index / STATUS_LIST_BITS),
  position: index % STATUS_LIST_BITS,
});

/** The encodedList of list `list` (1-based) with the bits of `revoked` (indexes over all lists) set. */
export function encodeStatusList(list: number, revoked: Iterable<number>): string {
  const bits = Buffer.alloc(STATUS_LIST_BITS / 8);
  for (const index of revoked) {
    const at = statusListPosition(index);
    if (at.list === list) bits[at.position >> 3]! |= 0x80 >> (at.position & 7);
  }
  return `u${gzipSync(bits).toString('base64url')}`;
}

/** Bit `position` of an encodedList; null when it is not one (or too short for the position). */
export function statusBit(encodedList: string, position: number): 0 | 1 | null {
  if (!/^u[A-Za-z0-9_-]+$/.test(encodedList)) return null;
  let bits: Buffer;
  try {
    bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: 16 * STATUS_LIST_BITS });
  } catch {
    return null;
  }
  const byte = bits[position >> 3];
  if (byte === undefined) return null;
  return byte & (0x80 >> (position & 7)) ? 1 : 0;
}
