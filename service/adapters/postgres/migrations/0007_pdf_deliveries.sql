-- PDF送付: an order's signed PDFs sent to a recipient by a mailed link. Only the hash of the link's
-- token is stored; a download is counted by one conditional UPDATE (downloads < max_downloads and
-- not expired), so concurrent downloads never exceed the limit.
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_destination_check;
ALTER TABLE orders ADD CONSTRAINT orders_destination_check CHECK (destination IN ('convenience', 'campus', 'mail', 'pdf'));

CREATE TABLE pdf_deliveries (
  id                text PRIMARY KEY,
  order_id          text NOT NULL UNIQUE REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  account_id        text NOT NULL REFERENCES accounts (id),
  recipient         jsonb NOT NULL,
  token_hash        text NOT NULL UNIQUE,
  expires_at        timestamptz NOT NULL,
  max_downloads     integer NOT NULL CHECK (max_downloads >= 1),
  downloads         integer NOT NULL CHECK (downloads >= 0 AND downloads <= max_downloads),
  first_opened_at   timestamptz,
  last_download_at  timestamptz,
  created_at        timestamptz NOT NULL
);

-- A download is done by the recipient, who has no account: the audit names them as 'recipient'.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_actor_type_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_type_check CHECK (actor_type IN ('staff', 'student', 'graduate', 'system', 'recipient'));
