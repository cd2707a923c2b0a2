-- +goose Up
ALTER TABLE sessions ADD COLUMN idle_seconds integer NOT NULL DEFAULT 1800;

-- +goose Down
ALTER TABLE sessions DROP COLUMN idle_seconds;
