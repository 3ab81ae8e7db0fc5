-- Key material every instance shares (SAML SP key pair, the QR payloads' Ed25519 key, the demo's
-- signing key and IdP key), generated once by whichever instance starts first: its INSERT wins
-- (ON CONFLICT DO NOTHING) and every instance then reads that row. Keys configured as files
-- (SAML_SP_KEY, CERT_SIGNING_KEY, …) are never copied here.
CREATE TABLE service_keys (
  name        text PRIMARY KEY,
  material    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
