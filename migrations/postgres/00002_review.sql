-- +goose Up
CREATE TABLE hearings (
    id           text PRIMARY KEY,
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    revision     integer NOT NULL,
    flags        bytea NOT NULL,
    message      bytea NOT NULL,
    opened_by    text NOT NULL,
    opened_at    timestamptz NOT NULL,
    reply_due    timestamptz NOT NULL,
    reply        bytea,
    replied_at   timestamptz
);
CREATE INDEX hearings_candidate_idx ON hearings(candidate_id);

CREATE TABLE recusals (
    id           text PRIMARY KEY,
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    user_id      text NOT NULL,
    reason       bytea NOT NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (candidate_id, user_id)
);
CREATE INDEX recusals_user_idx ON recusals(user_id);

ALTER TABLE decisions ADD COLUMN status text NOT NULL DEFAULT 'bevestigd';
ALTER TABLE decisions ADD COLUMN conditions bytea;
ALTER TABLE decisions ADD COLUMN release_conditions boolean NOT NULL DEFAULT false;
ALTER TABLE decisions ADD COLUMN single_member boolean NOT NULL DEFAULT false;
ALTER TABLE decisions ADD COLUMN confirmed_by text;
ALTER TABLE decisions ADD COLUMN confirmed_at timestamptz;
ALTER TABLE decisions ADD COLUMN rejected_by text;
ALTER TABLE decisions ADD COLUMN rejected_at timestamptz;

ALTER TABLE profiles ADD COLUMN answers bytea;
ALTER TABLE candidates ADD COLUMN previous_id text;
ALTER TABLE rounds ADD COLUMN previous_round_id text;

-- +goose Down
ALTER TABLE rounds DROP COLUMN previous_round_id;
ALTER TABLE candidates DROP COLUMN previous_id;
ALTER TABLE profiles DROP COLUMN answers;
ALTER TABLE decisions DROP COLUMN rejected_at;
ALTER TABLE decisions DROP COLUMN rejected_by;
ALTER TABLE decisions DROP COLUMN confirmed_at;
ALTER TABLE decisions DROP COLUMN confirmed_by;
ALTER TABLE decisions DROP COLUMN single_member;
ALTER TABLE decisions DROP COLUMN release_conditions;
ALTER TABLE decisions DROP COLUMN conditions;
ALTER TABLE decisions DROP COLUMN status;
DROP TABLE recusals;
DROP TABLE hearings;
