-- +goose Up
-- The network index: keyed hashes of each candidate's normalised
-- organisation keys (never the names), to find shared organisations in a
-- party without reading anybody's answers. The organisations themselves are
-- kept encrypted on the candidate (candidates.network).
CREATE TABLE network_keys (
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    party_id     text NOT NULL,
    key_hash     text NOT NULL,
    PRIMARY KEY (candidate_id, key_hash)
);
CREATE INDEX network_keys_lookup_idx ON network_keys(party_id, key_hash);
ALTER TABLE candidates ADD COLUMN network bytea;

-- +goose Down
ALTER TABLE candidates DROP COLUMN network;
DROP TABLE network_keys;
