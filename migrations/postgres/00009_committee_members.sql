-- +goose Up
-- Memberships get a life cycle (issue 11, findings 6 and 14):
--   wacht_op_bevestiging: a proposed committee member, waiting for the
--     confirmation of another active committee member (or, for a party's
--     first committee, the admin); no mail, no access;
--   uitgenodigd: confirmed (or a board member), waiting for the person to
--     accept through the link in a mail (the set-up link for a new account);
--   actief: the membership gives its role.
-- name is the name as the adder typed it: another party never sees the
-- account's own name. added_by/confirmed_by keep who did what (by name, as
-- the party knew them then).
ALTER TABLE memberships ADD COLUMN status text NOT NULL DEFAULT 'actief'
    CHECK (status IN ('wacht_op_bevestiging','uitgenodigd','actief'));
ALTER TABLE memberships ADD COLUMN name text NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN added_by text NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN added_by_name text NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN confirmed_by text;
ALTER TABLE memberships ADD COLUMN confirmed_by_name text NOT NULL DEFAULT '';
ALTER TABLE memberships ADD COLUMN confirmed_at timestamptz;
ALTER TABLE memberships ADD COLUMN accepted_at timestamptz;
-- account_created: this membership created the user's account (its
-- acceptance is the account set-up).
ALTER TABLE memberships ADD COLUMN account_created boolean NOT NULL DEFAULT false;
-- The acceptance mail of an existing account: number invite_seq, its link
-- stored only as a hash.
ALTER TABLE memberships ADD COLUMN invite_seq integer NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN invite_token_hash text;
ALTER TABLE memberships ADD COLUMN invite_expires_at timestamptz;
CREATE UNIQUE INDEX memberships_invite_token_idx ON memberships(invite_token_hash);
CREATE INDEX memberships_party_status_idx ON memberships(party_id, role, status);

UPDATE memberships SET name = (SELECT u.name FROM users u WHERE u.id = memberships.user_id);
UPDATE memberships SET account_created = true
    WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = memberships.user_id AND u.setup_party_id = memberships.party_id);
UPDATE memberships SET status = 'uitgenodigd'
    WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = memberships.user_id AND u.password_hash IS NULL);

-- One row per mail about a change to a party's committee, per recipient
-- (every active committee member; the board for a first committee). The
-- worker sends it once (mail_deliveries key member_notice:<id>).
CREATE TABLE member_notices (
    id           text PRIMARY KEY,
    party_id     text NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
    recipient_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    action       text NOT NULL,
    member_name  text NOT NULL,
    member_email text NOT NULL,
    member_role  text NOT NULL,
    actor_name   text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX member_notices_created_idx ON member_notices(created_at);

-- +goose Down
DROP TABLE member_notices;
DROP INDEX memberships_party_status_idx;
DROP INDEX memberships_invite_token_idx;
ALTER TABLE memberships DROP COLUMN invite_expires_at;
ALTER TABLE memberships DROP COLUMN invite_token_hash;
ALTER TABLE memberships DROP COLUMN invite_seq;
ALTER TABLE memberships DROP COLUMN account_created;
ALTER TABLE memberships DROP COLUMN accepted_at;
ALTER TABLE memberships DROP COLUMN confirmed_at;
ALTER TABLE memberships DROP COLUMN confirmed_by_name;
ALTER TABLE memberships DROP COLUMN confirmed_by;
ALTER TABLE memberships DROP COLUMN added_by_name;
ALTER TABLE memberships DROP COLUMN added_by;
ALTER TABLE memberships DROP COLUMN name;
ALTER TABLE memberships DROP COLUMN status;
