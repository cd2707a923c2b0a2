-- +goose Up
-- Platform secrets kept next to the data keys, outside the main database,
-- each wrapped by the master key (so `keys rotate` re-wraps them and their
-- value survives a rotation): the audit chain's HMAC key, the key of the
-- lookup hashes of candidates' e-mail addresses, the dev outbox key.
CREATE TABLE secrets (
    name       text PRIMARY KEY,
    wrapped    bytea NOT NULL,
    created_at timestamptz NOT NULL
);

-- The newest (seq, head) of each party's audit chain seen here. It only
-- moves forward, so deleting the newest events from the main database and
-- rewinding parties.audit_seq/audit_head still fails verification.
CREATE TABLE audit_anchors (
    party_id   text PRIMARY KEY,
    seq        bigint NOT NULL,
    head       text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE audit_anchors;
DROP TABLE secrets;
