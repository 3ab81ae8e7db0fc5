-- Holders' share links of their certificates (only the hashes of the token and PIN are kept) and
-- the links' access log (a coarse client description, never an address).
CREATE TABLE share_links (
  id              text PRIMARY KEY,
  certificate_id  text NOT NULL REFERENCES certificates (id),
  account_id      text NOT NULL,
  token_hash      text NOT NULL UNIQUE,
  pin_hash        text,
  label           text,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz
);
CREATE INDEX share_links_certificate ON share_links (certificate_id, created_at DESC);

CREATE TABLE share_link_accesses (
  id       text PRIMARY KEY,
  link_id  text NOT NULL REFERENCES share_links (id),
  at       timestamptz NOT NULL,
  browser  text NOT NULL,
  os       text NOT NULL,
  outcome  text NOT NULL CHECK (outcome IN ('viewed', 'downloaded', 'pinRefused'))
);
CREATE INDEX share_link_accesses_link ON share_link_accesses (link_id, at DESC);
