-- Every record the service keeps, so that several instances share nothing on disk or in memory.
-- Instants are timestamptz, calendar dates (YYYY-MM-DD in the domain) are date. Fields the domain
-- queries on are columns; nested values that are only ever read whole are jsonb.
-- Foreign keys that order placement crosses are DEFERRABLE INITIALLY DEFERRED: checked at commit,
-- so one transaction may write the PDF, the certificates, the order and its fulfilment in any order.

-- ---- Accounts, sessions, one-time tokens, SAML ----

CREATE TABLE accounts (
  id                text PRIMARY KEY,
  idp_entity_id     text NOT NULL,
  user_id           text NOT NULL,
  mail              text,
  idp_mail          text,
  display_name      text,
  name_kanji        text,
  name_kana         text,
  name_roman        text,
  -- Newest first, as the domain keeps them; one student ID may appear on several accounts (a
  -- campus login asserts it), so uniqueness is the domain's `addStudentId` check, not a constraint.
  student_ids       text[] NOT NULL DEFAULT '{}',
  affiliation       text,
  language          text NOT NULL CHECK (language IN ('ja', 'en')),
  created_at        timestamptz NOT NULL,
  last_login_at     timestamptz,
  previous_login_at timestamptz,
  kind              text CHECK (kind IN ('campus', 'graduate')),
  active            boolean,
  UNIQUE (idp_entity_id, user_id)
);
CREATE INDEX accounts_student_ids ON accounts USING gin (student_ids);

CREATE TABLE sessions (
  id_hash                 text PRIMARY KEY,
  account_id              text REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token              text NOT NULL,
  kiosk                   boolean NOT NULL,
  created_at              timestamptz NOT NULL,
  last_seen_at            timestamptz NOT NULL,
  expires_at              timestamptz NOT NULL,
  -- The IdP session of the login (single logout); all null without one.
  saml_idp_entity_id      text,
  saml_name_id            text,
  saml_name_id_format     text,
  saml_session_index      text,
  CHECK ((saml_idp_entity_id IS NULL) = (saml_name_id IS NULL))
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_saml ON sessions (saml_idp_entity_id, saml_name_id) WHERE saml_idp_entity_id IS NOT NULL;
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE one_time_tokens (
  hash        text PRIMARY KEY,
  purpose     text NOT NULL CHECK (purpose IN ('mail.register', 'mail.change', 'application.studentId', 'graduate.register', 'graduate.reset')),
  -- Not a foreign key: graduate tokens are addressed to `graduate:<mail>` before any account exists.
  account_id  text NOT NULL,
  mail        text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  -- Consumed with `UPDATE … SET used = true … WHERE NOT used`: once, whichever instance asks.
  used        boolean NOT NULL DEFAULT false,
  used_at     timestamptz,
  CHECK (used = (used_at IS NOT NULL))
);
CREATE INDEX one_time_tokens_account ON one_time_tokens (account_id, purpose, created_at);
CREATE INDEX one_time_tokens_expires ON one_time_tokens (expires_at);

-- Assertion IDs and answered InResponseTo values, each accepted once until it expires.
CREATE TABLE saml_replay_cache (
  id          text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX saml_replay_cache_expires ON saml_replay_cache (expires_at);

CREATE TABLE saml_pending_logins (
  code_hash   text PRIMARY KEY,
  request_id  text NOT NULL,
  identity    jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX saml_pending_logins_expires ON saml_pending_logins (expires_at);

-- ---- Rate limits and login throttling (shared by every instance) ----

-- One counter per limiter, client and fixed window (e.g. 'store', an IP, the window's start).
CREATE TABLE rate_limit_counters (
  limiter       text NOT NULL,
  client        text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL CHECK (hits >= 0),
  -- When the counter no longer matters (pruned after).
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (limiter, client, window_start)
);
CREATE INDEX rate_limit_counters_expires ON rate_limit_counters (expires_at);

-- Failed staff logins per login name (domain/staff/throttle.ts).
CREATE TABLE login_throttle (
  key              text PRIMARY KEY,
  failures         integer NOT NULL CHECK (failures >= 0),
  last_failure_at  timestamptz NOT NULL,
  locked_until     timestamptz
);

-- ---- Graduates ----

CREATE TABLE graduate_credentials (
  account_id                  text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  password_hash               text NOT NULL,
  second_password_hash        text NOT NULL,
  created_at                  timestamptz NOT NULL,
  password_changed_at         timestamptz NOT NULL,
  second_password_changed_at  timestamptz NOT NULL
);

-- ---- Applications (利用申請) ----

CREATE TABLE applications (
  id           text PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('studentId', 'graduate')),
  account_id   text NOT NULL REFERENCES accounts (id),
  status       text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'resubmit')),
  -- The personal-data form (ApplicationForm) as the applicant typed it.
  form         jsonb NOT NULL,
  student_id   text GENERATED ALWAYS AS (form ->> 'studentId') STORED,
  mail         text NOT NULL,
  language     text NOT NULL CHECK (language IN ('ja', 'en')),
  reason       text,
  -- Submissions so far (1 + resubmissions): each may be decided once.
  round        integer NOT NULL DEFAULT 1 CHECK (round >= 1),
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  decided_at   timestamptz,
  decided_by   text
);
CREATE INDEX applications_account ON applications (account_id, created_at DESC);
CREATE INDEX applications_status ON applications (status, kind, created_at DESC);
CREATE INDEX applications_student ON applications (student_id);

-- The application's history, oldest first.
CREATE TABLE application_events (
  application_id  text NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  seq             integer NOT NULL CHECK (seq >= 1),
  round           integer NOT NULL CHECK (round >= 1),
  at              timestamptz NOT NULL,
  action          text NOT NULL CHECK (action IN ('submitted', 'resubmitted', 'approved', 'rejected', 'resubmit')),
  actor           text NOT NULL,
  reason          text,
  PRIMARY KEY (application_id, seq)
);
-- One decision per submission: two staff members can never both decide the same one.
CREATE UNIQUE INDEX application_events_one_decision ON application_events (application_id, round)
  WHERE action IN ('approved', 'rejected', 'resubmit');

-- ---- Student registry ----

CREATE TABLE registry_students (
  student_id       text PRIMARY KEY,
  name_kanji       text NOT NULL,
  name_kana        text NOT NULL,
  name_roman       text NOT NULL,
  birth_date       date NOT NULL,
  university_code  text NOT NULL,
  university_name  jsonb NOT NULL,
  faculty_code     text NOT NULL,
  faculty_name     jsonb NOT NULL,
  department_code  text NOT NULL,
  department_name  jsonb NOT NULL,
  enrollment_date  date NOT NULL,
  status           text NOT NULL CHECK (status IN ('enrolled', 'graduated', 'withdrawn', 'removed')),
  graduation_date  date,
  degree           jsonb,
  updated_at       timestamptz NOT NULL
);

CREATE TABLE registry_grades (
  student_id   text NOT NULL REFERENCES registry_students (student_id),
  course_code  text NOT NULL,
  term         text NOT NULL,
  title        jsonb NOT NULL,
  credits      numeric NOT NULL CHECK (credits >= 0),
  grade        text NOT NULL,
  PRIMARY KEY (student_id, course_code, term)
);

-- CSV imports waiting for, or taken by, an instance (one at a time: `FOR UPDATE SKIP LOCKED`).
CREATE TABLE registry_import_queue (
  id            text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('students', 'grades')),
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  csv           text NOT NULL,
  -- The preview's hash the commit must still match.
  preview_hash  text NOT NULL,
  actor         jsonb NOT NULL,
  created_at    timestamptz NOT NULL,
  started_at    timestamptz,
  finished_at   timestamptz,
  result        jsonb,
  error         text
);
CREATE INDEX registry_import_queue_waiting ON registry_import_queue (created_at) WHERE status IN ('queued', 'running');

-- ---- Certificates ----

CREATE TABLE certificate_types (
  code                                    text PRIMARY KEY,
  name                                    jsonb NOT NULL,
  template                                text NOT NULL CHECK (template IN ('enrollment', 'expectedGraduation', 'graduation', 'transcript', 'studentDiscount')),
  languages                               text[] NOT NULL CHECK (cardinality(languages) >= 1),
  eligible_statuses                       text[] NOT NULL CHECK (cardinality(eligible_statuses) >= 1),
  requires_graduation_date_within_months  integer,
  destinations                            text[] NOT NULL CHECK (cardinality(destinations) >= 1),
  max_copies                              integer NOT NULL CHECK (max_copies BETWEEN 1 AND 20),
  validity_months                         integer,
  fee                                     integer NOT NULL CHECK (fee >= 0),
  active                                  boolean NOT NULL,
  sort_order                              integer NOT NULL
);

CREATE TABLE orders (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts (id),
  student_id     text NOT NULL,
  destination    text NOT NULL CHECK (destination IN ('convenience', 'campus', 'mail')),
  -- The order's lines (OrderItem[]); their certificates are `certificates.position` 0, 1, …
  items          jsonb NOT NULL,
  total_fee      integer NOT NULL CHECK (total_fee >= 0),
  language       text NOT NULL CHECK (language IN ('ja', 'en')),
  -- The reservation, campus job or mail order (by destination), each of which references the order.
  fulfilment_id  text NOT NULL UNIQUE,
  created_at     timestamptz NOT NULL
);
CREATE INDEX orders_account ON orders (account_id, created_at DESC);

CREATE TABLE certificates (
  id                 text PRIMARY KEY,
  number             text NOT NULL UNIQUE,
  verification_code  text NOT NULL,
  order_id           text NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  -- Index of the order line (Order.certificateIds keeps this order).
  position           integer NOT NULL CHECK (position >= 0),
  account_id         text NOT NULL REFERENCES accounts (id),
  student_id         text NOT NULL,
  -- A type any certificate was issued of cannot be deleted, only retired.
  type_code          text NOT NULL REFERENCES certificate_types (code) ON DELETE RESTRICT,
  language           text NOT NULL CHECK (language IN ('ja', 'en')),
  copies             integer NOT NULL CHECK (copies BETWEEN 1 AND 20),
  issue_date         date NOT NULL,
  valid_until        date,
  issued_at          timestamptz NOT NULL,
  holder_name_kanji  text NOT NULL,
  holder_name_roman  text,
  holder_name_kana   text,
  offline_payload    text NOT NULL,
  offline_key_id     text NOT NULL,
  status             text NOT NULL CHECK (status IN ('valid', 'revoked')),
  revoked_at         timestamptz,
  revoked_by         text,
  revocation_reason  text,
  UNIQUE (order_id, position),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX certificates_account ON certificates (account_id, issued_at DESC);
CREATE INDEX certificates_student ON certificates (student_id, issued_at DESC);
CREATE INDEX certificates_issued ON certificates (issued_at DESC, id DESC);

-- The signed PDFs, apart from the rows that listings read.
CREATE TABLE certificate_pdfs (
  number  text PRIMARY KEY REFERENCES certificates (number) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  pdf     bytea NOT NULL CHECK (octet_length(pdf) > 0)
);

-- Convenience-store reservations (予約番号). The claim columns are the lease a print holds: the
-- document links handed to a store terminal name the claim and are valid only while it is current.
CREATE TABLE reservations (
  id                 text PRIMARY KEY,
  number             text NOT NULL CHECK (number ~ '^[0-9]{8}$'),
  order_id           text NOT NULL UNIQUE REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  account_id         text NOT NULL REFERENCES accounts (id),
  status             text NOT NULL CHECK (status IN ('reserved', 'printing', 'printed', 'expired', 'cancelled')),
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  reminder_sent_at   timestamptz,
  claim_id           text,
  claim_by           text,
  claim_at           timestamptz,
  claim_lease_until  timestamptz,
  printed_at         timestamptz,
  -- PrintAttempt[]: the log of tries, read whole.
  attempts           jsonb NOT NULL DEFAULT '[]',
  updated_at         timestamptz NOT NULL,
  CHECK (num_nulls(claim_id, claim_by, claim_at, claim_lease_until) IN (0, 4)),
  CHECK ((status = 'printing') = (claim_id IS NOT NULL)),
  CHECK ((status = 'printed') = (printed_at IS NOT NULL))
);
-- A number is held by one open reservation at a time. One stored as reserved but past its expiry
-- still holds it until it is marked expired (the adapter does so before reusing the number).
CREATE UNIQUE INDEX reservations_active_number ON reservations (number) WHERE status IN ('reserved', 'printing');
CREATE INDEX reservations_number ON reservations (number, created_at DESC);
CREATE INDEX reservations_account ON reservations (account_id, created_at DESC);
CREATE INDEX reservations_open ON reservations (expires_at) WHERE status IN ('reserved', 'printing');

-- 学内印刷 jobs: like reservations, without number or expiry.
CREATE TABLE campus_jobs (
  id                 text PRIMARY KEY,
  order_id           text NOT NULL UNIQUE REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  account_id         text NOT NULL REFERENCES accounts (id),
  status             text NOT NULL CHECK (status IN ('waiting', 'printing', 'printed', 'cancelled')),
  created_at         timestamptz NOT NULL,
  claim_id           text,
  claim_by           text,
  claim_at           timestamptz,
  claim_lease_until  timestamptz,
  printed_at         timestamptz,
  attempts           jsonb NOT NULL DEFAULT '[]',
  updated_at         timestamptz NOT NULL,
  CHECK (num_nulls(claim_id, claim_by, claim_at, claim_lease_until) IN (0, 4)),
  CHECK ((status = 'printing') = (claim_id IS NOT NULL)),
  CHECK ((status = 'printed') = (printed_at IS NOT NULL))
);
CREATE INDEX campus_jobs_account ON campus_jobs (account_id, created_at DESC);

CREATE TABLE mail_orders (
  id               text PRIMARY KEY,
  order_id         text NOT NULL UNIQUE REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  account_id       text NOT NULL REFERENCES accounts (id),
  recipient_name   text NOT NULL,
  -- PostalAddress (domestic or overseas), read whole.
  address          jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('awaitingShipment', 'shipped', 'cancelled')),
  tracking_number  text,
  shipped_at       timestamptz,
  shipped_by       text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX mail_orders_status ON mail_orders (status, created_at, id);

-- ---- Staff ----

CREATE TABLE staff_users (
  id                   text PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username = lower(username)),
  display_name         text NOT NULL,
  role                 text NOT NULL CHECK (role IN ('reviewer', 'administrator')),
  password_hash        text NOT NULL,
  disabled             boolean NOT NULL,
  created_at           timestamptz NOT NULL,
  last_login_at        timestamptz,
  sessions_not_before  timestamptz
);

-- Only signed-in staff sessions are stored (the login form's session never is).
CREATE TABLE staff_sessions (
  id_hash       text PRIMARY KEY,
  staff_id      text NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX staff_sessions_expires ON staff_sessions (expires_at);
CREATE INDEX staff_sessions_last_seen ON staff_sessions (last_seen_at);

-- ---- Audit log: append-only ----

CREATE TABLE audit_log (
  id           text PRIMARY KEY,
  -- Order of entries with the same time.
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  at           timestamptz NOT NULL,
  actor_type   text NOT NULL CHECK (actor_type IN ('staff', 'student', 'graduate', 'system')),
  actor_id     text NOT NULL,
  actor_name   text NOT NULL,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text NOT NULL,
  before       jsonb,
  after        jsonb,
  note         text
);
CREATE INDEX audit_log_newest ON audit_log (seq DESC);
CREATE INDEX audit_log_action ON audit_log (action text_pattern_ops, seq DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq DESC);
CREATE INDEX audit_log_target ON audit_log (target_id, seq DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log entries are never changed or deleted';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- ---- Campus terminals (端末) ----

CREATE TABLE terminals (
  id               text PRIMARY KEY,
  -- Unique among all terminals, revoked ones too (the print log names terminals by it).
  name             text NOT NULL UNIQUE,
  location         text NOT NULL,
  public_key       text NOT NULL,
  status           text NOT NULL CHECK (status IN ('active', 'revoked')),
  embedded         boolean NOT NULL,
  enrolled_at      timestamptz NOT NULL,
  key_issued_at    timestamptz NOT NULL,
  revoked_at       timestamptz,
  last_contact_at  timestamptz,
  shell_version    text,
  printer          text CHECK (printer IN ('ready', 'missing', 'error')),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);

-- ---- Institution (大学情報) ----

-- One row: the profile (InstitutionProfile), read whole on every page.
CREATE TABLE institution_profile (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  profile     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE institution_images (
  kind           text PRIMARY KEY CHECK (kind IN ('seal', 'logo')),
  png            bytea NOT NULL,
  width          integer NOT NULL CHECK (width > 0),
  height         integer NOT NULL CHECK (height > 0),
  sha256         text NOT NULL,
  uploaded_type  text NOT NULL CHECK (uploaded_type IN ('image/png', 'image/svg+xml')),
  uploaded_at    timestamptz NOT NULL
);

-- ---- The dev mailbox (demo and development only) ----

CREATE TABLE dev_mails (
  id         text PRIMARY KEY,
  seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  "from"     text NOT NULL,
  "to"       text NOT NULL,
  subject    text NOT NULL,
  text       text NOT NULL,
  html       text NOT NULL,
  sent_at    timestamptz NOT NULL
);
