-- What staff searches compare, computed by the domain (registry/search.ts studentSearchKey,
-- applications/search.ts applicationSearchKey: widths, kana and case folded, one field a line),
-- so that a search is "the key contains the folded query" on every adapter. No row needs
-- filling: nothing wrote students or applications to PostgreSQL before this.
ALTER TABLE registry_students ADD COLUMN search_key text NOT NULL;
ALTER TABLE applications ADD COLUMN search_key text NOT NULL;
