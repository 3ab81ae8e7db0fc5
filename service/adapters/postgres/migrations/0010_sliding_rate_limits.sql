-- Rate limits count in a sliding window, as the embedded family does: one row per limiter and
-- client holding the times of its attempts still in the window (at most the limit of them), so
-- a client gets `limit` attempts in any `windowSeconds`, never twice that across a boundary of
-- fixed windows. The counters of the fixed windows only ever held the last hour: they go.
DROP TABLE rate_limit_counters;

CREATE TABLE rate_limit_windows (
  limiter     text NOT NULL,
  client      text NOT NULL,
  -- The attempts still counted, oldest first.
  hits        timestamptz[] NOT NULL,
  -- When the newest attempt leaves the window: the row no longer matters (pruned after).
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (limiter, client)
);
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
