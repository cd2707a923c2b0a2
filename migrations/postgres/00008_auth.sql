-- +goose Up
-- A session counts as two-step only when it showed a code (login with
-- code, the web login's code step, or confirming enrolment).
ALTER TABLE sessions ADD COLUMN second_factor boolean NOT NULL DEFAULT false;
-- Password reset links (created by the worker at send time, like set-up
-- links) and the notice to the owner after each password change.
ALTER TABLE users ADD COLUMN reset_seq integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN reset_sent_seq integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN reset_token_hash text;
ALTER TABLE users ADD COLUMN reset_expires_at timestamptz;
ALTER TABLE users ADD COLUMN password_seq integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_sent_seq integer NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_reset_token_hash ON users (reset_token_hash) WHERE reset_token_hash IS NOT NULL;

-- +goose Down
DROP INDEX users_reset_token_hash;
ALTER TABLE users DROP COLUMN password_sent_seq;
ALTER TABLE users DROP COLUMN password_seq;
ALTER TABLE users DROP COLUMN reset_expires_at;
ALTER TABLE users DROP COLUMN reset_token_hash;
ALTER TABLE users DROP COLUMN reset_sent_seq;
ALTER TABLE users DROP COLUMN reset_seq;
ALTER TABLE sessions DROP COLUMN second_factor;
