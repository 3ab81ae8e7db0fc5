-- Each certificate's index in the verifiable credentials' status lists: given when first needed
-- (a download), one per certificate, never reused. Gaps in the sequence are harmless.
CREATE TABLE credential_status (
  certificate_id  text PRIMARY KEY REFERENCES certificates (id),
  status_index    integer GENERATED ALWAYS AS IDENTITY (MINVALUE 0 START WITH 0) UNIQUE
);
