-- Status list indexes are drawn at random by the service (domain/credentials/status-list.ts), no
-- longer counted up by the database: an index in order of download told when a credential was
-- first taken. The indexes given so far stay as they are; both columns stay unique.
ALTER TABLE credential_status ALTER COLUMN status_index DROP IDENTITY;
ALTER TABLE credential_status ADD CONSTRAINT credential_status_index_range CHECK (status_index >= 0);
