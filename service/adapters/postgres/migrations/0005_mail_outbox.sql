-- Mails written in the same transaction as the change they report, sent afterwards by a worker on
-- any instance. A worker claims due rows with FOR UPDATE SKIP LOCKED (status 'sending' under a
-- random claim token until lease_until); every later mark names that token. Sent mails are deleted.
CREATE TABLE mail_outbox (
  id           text PRIMARY KEY,
  message      jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'sending', 'failed')),
  enqueued_at  timestamptz NOT NULL,
  due_at       timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  claim        text,
  lease_until  timestamptz,
  last_error   text
);
CREATE INDEX mail_outbox_due ON mail_outbox (due_at) WHERE status <> 'failed';
