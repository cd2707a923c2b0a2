-- +goose Up
-- Issue 13, part 3: the interview record (gespreksverslag). Per flag of the
-- profile one current resolution (afdoende_toegelicht, maatregel_afgesproken,
-- zorg_blijft) with a note and, for an agreed measure, the measure; all of
-- it sealed with the candidate's data key, the flag's id included (a plain
-- rule id would say what the candidate answered). Re-recording a flag
-- updates its row: the Store finds it under the candidate's lock, so no
-- index on the sealed id is needed. Who recorded it and when stay plain,
-- like every other workflow time.
CREATE TABLE flag_resolutions (
    id           text PRIMARY KEY,
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    rule         bytea NOT NULL,
    resolution   bytea NOT NULL,
    note         bytea NOT NULL,
    measure      bytea,
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX flag_resolutions_candidate_idx ON flag_resolutions(candidate_id);

-- The interview itself: when it was held and who attended (both optional,
-- sealed: attendees may name people outside the committee).
CREATE TABLE interviews (
    candidate_id text PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    held_on      bytea,
    attendees    bytea,
    updated_by   text NOT NULL,
    updated_at   timestamptz NOT NULL
);

-- +goose Down
DROP TABLE interviews;
DROP TABLE flag_resolutions;
