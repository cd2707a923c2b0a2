-- +goose Up
-- The key store: one wrapped data key per candidate. It lives in its own
-- database (KEYSTORE_URL / keys.db) so that a copy or backup of the main
-- database holds no keys: deleting a key here shreds that candidate
-- everywhere.
CREATE TABLE data_keys (
    candidate_id text PRIMARY KEY,
    wrapped      blob NOT NULL,
    created_at   datetime NOT NULL
);

-- +goose Down
DROP TABLE data_keys;
