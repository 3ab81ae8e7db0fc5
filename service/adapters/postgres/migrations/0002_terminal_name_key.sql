-- What terminal name uniqueness compares (terminalNameKey: width and case folded, so that
-- ＫＩＯＳＫ-1 and kiosk-1 clash), computed by the domain; null for the embedded terminal, whose
-- name is its id. No row needs filling: nothing wrote terminals to PostgreSQL before this.
ALTER TABLE terminals ADD COLUMN name_key text;
CREATE UNIQUE INDEX terminals_unique_name_key ON terminals (name_key) WHERE name_key IS NOT NULL;
