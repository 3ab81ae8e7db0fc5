/**
 * Trusted time-stamps (RFC 3161) for certificates delivered as files: their signature carries a
 * token from a time-stamping authority (PAdES baseline B-T), so a recipient can tell the document
 * existed, signed, at that time — even after the signing certificate expires.
 */

/** A time-stamping authority: an outside one over HTTP (TSA_URL), or the built-in one of demo mode. */
export interface TimestampAuthority {
  /**
   * A DER TimeStampToken over `digest` (SHA-256, 32 bytes), checked to match it; throws
   * DomainError `certificate.timestampUnavailable` when none can be had.
   */
  timestamp(digest: Uint8Array): Promise<Uint8Array>;
}

/** The built-in authority answering RFC 3161 requests itself (served at /tsa in demo mode). */
export interface TimestampResponder {
  /** The DER TimeStampResp for a DER TimeStampReq; a malformed or unsupported request gets a rejection, not an error. */
  respond(request: Uint8Array): Promise<Uint8Array>;
  /** The authority's certificate (PEM), for verifiers. */
  certificatePem(): Promise<string>;
}
