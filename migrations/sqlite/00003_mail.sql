-- +goose Up
-- One row per mail that must go out exactly once (invitation n, reminder
-- stage, receipt of revision n, ...). The primary key is the dedupe key.
CREATE TABLE mail_deliveries (
    key          text PRIMARY KEY,
    kind         text NOT NULL,
    seq          integer NOT NULL DEFAULT 0,
    candidate_id text REFERENCES candidates(id) ON DELETE CASCADE,
    user_id      text REFERENCES users(id) ON DELETE CASCADE,
    status       text NOT NULL,
    attempts     integer NOT NULL DEFAULT 1,
    error        text,
    claimed_at   datetime NOT NULL,
    sent_at      datetime,
    created_at   datetime NOT NULL
);
CREATE INDEX mail_deliveries_candidate_idx ON mail_deliveries(candidate_id, kind);
CREATE INDEX mail_deliveries_user_idx ON mail_deliveries(user_id, kind);

ALTER TABLE users ADD COLUMN setup_seq integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN setup_sent_seq integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN setup_party_id text;
ALTER TABLE users ADD COLUMN setup_role text;

-- +goose Down
ALTER TABLE users DROP COLUMN setup_role;
ALTER TABLE users DROP COLUMN setup_party_id;
ALTER TABLE users DROP COLUMN setup_sent_seq;
ALTER TABLE users DROP COLUMN setup_seq;
DROP TABLE mail_deliveries;
