-- +goose Up
ALTER TABLE users ADD COLUMN totp_secret blob;
ALTER TABLE users ADD COLUMN totp_enabled_at datetime;
ALTER TABLE users ADD COLUMN totp_last_step integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN recovery_codes text;
ALTER TABLE sessions ADD COLUMN mfa_pending boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE sessions DROP COLUMN mfa_pending;
ALTER TABLE users DROP COLUMN recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;
