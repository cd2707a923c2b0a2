-- +goose Up
-- Issue 13, part 1: the committee's open-source research (openbronnen-
-- onderzoek). One row per candidate and source; the committee's own
-- searches (eigen_zoekopdracht) may have several rows, each with a title.
-- What was found, the link, the title and the finding are sealed with the
-- candidate's data key; who checked and when stay plain, like the
-- workflow timestamps. No lookups are made: the record is the committee's.
CREATE TABLE source_checks (
    id           text PRIMARY KEY,
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    source       text NOT NULL,
    title        blob,
    checked_on   text NOT NULL,
    checked_by   text NOT NULL,
    checked_at   datetime NOT NULL,
    result       blob NOT NULL,
    finding      blob,
    created_at   datetime NOT NULL
);
CREATE INDEX source_checks_candidate_idx ON source_checks(candidate_id);
CREATE UNIQUE INDEX source_checks_one_idx ON source_checks(candidate_id, source) WHERE source <> 'eigen_zoekopdracht';

-- +goose Down
DROP TABLE source_checks;
