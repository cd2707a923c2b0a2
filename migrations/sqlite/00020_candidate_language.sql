-- +goose Up
-- Issue 14: the language the candidate reads the scan, its pages and its
-- mails in ("nl" or "en"; EU citizens may stand in municipal elections).
-- The committee and the board read Dutch whatever the candidate chose.
ALTER TABLE candidates ADD COLUMN language text NOT NULL DEFAULT 'nl';

-- +goose Down
ALTER TABLE candidates DROP COLUMN language;
