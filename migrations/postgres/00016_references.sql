-- +goose Up
-- Issue 13, part 2: references (referenties). The committee asks for a
-- number of referents (a party setting, 0–5); the candidate names them and
-- consents; the committee sends the requests; each referent answers a short
-- questionnaire once through a personal link. Names, addresses, relations
-- and answers are sealed with the candidate's data key; deleting the file
-- deletes them (ON DELETE CASCADE) and the data key (crypto-shredding).
ALTER TABLE parties ADD COLUMN references_required integer NOT NULL DEFAULT 2;

-- One request per file: how many referents, who asked, the candidate's
-- consent, and when the committee sent the requests.
CREATE TABLE reference_requests (
    candidate_id  text PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    wanted        integer NOT NULL,
    requested_by  text NOT NULL,
    requested_at  timestamptz NOT NULL,
    consent_at    timestamptz,
    sent_by       text,
    sent_at       timestamptz
);

-- One row per referent. sealed: name, e-mail and relation (JSON); answers:
-- the answers (JSON), both under the candidate's data key. The link token
-- is created when the mail goes out and stored as a hash only.
CREATE TABLE referents (
    id                    text PRIMARY KEY,
    candidate_id          text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    position              integer NOT NULL,
    sealed                bytea NOT NULL,
    token_hash            text UNIQUE,
    expires_at            timestamptz,
    questionnaire_version integer NOT NULL DEFAULT 0,
    answers               bytea,
    answered_at           timestamptz,
    created_at            timestamptz NOT NULL
);
CREATE INDEX referents_candidate_idx ON referents(candidate_id);

-- +goose Down
DROP TABLE referents;
DROP TABLE reference_requests;
ALTER TABLE parties DROP COLUMN references_required;
