-- +goose Up
CREATE TABLE users (
    id              text PRIMARY KEY,
    email           text NOT NULL UNIQUE,
    name            text NOT NULL,
    password_hash   text,
    is_admin        boolean NOT NULL DEFAULT false,
    setup_token_hash text UNIQUE,
    setup_expires_at datetime,
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL
);

CREATE TABLE parties (
    id                       text PRIMARY KEY,
    name                     text NOT NULL,
    max_vog_age_days         integer NOT NULL DEFAULT 183,
    retention_decided_days   integer NOT NULL DEFAULT 183,
    retention_withdrawn_days integer NOT NULL DEFAULT 28,
    audit_seq                integer NOT NULL DEFAULT 0,
    audit_head               text NOT NULL DEFAULT '',
    created_at               datetime NOT NULL
);

CREATE TABLE memberships (
    id         text PRIMARY KEY,
    party_id   text NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('bestuur','commissie')),
    created_at datetime NOT NULL,
    UNIQUE (party_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships(user_id);

CREATE TABLE rounds (
    id                    text PRIMARY KEY,
    party_id              text NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
    name                  text NOT NULL,
    office                text NOT NULL,
    deadline              datetime NOT NULL,
    questionnaire_id      text NOT NULL,
    questionnaire_version integer NOT NULL,
    created_by            text NOT NULL,
    created_at            datetime NOT NULL
);
CREATE INDEX rounds_party_idx ON rounds(party_id);

CREATE TABLE candidates (
    id                text PRIMARY KEY,
    party_id          text NOT NULL REFERENCES parties(id) ON DELETE CASCADE,
    round_id          text NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
    name              text NOT NULL,
    email             text NOT NULL,
    status            text NOT NULL,
    level             text,
    data_key          blob,
    invite_token_hash text UNIQUE,
    invite_seq        integer NOT NULL DEFAULT 1,
    invite_sent_seq   integer NOT NULL DEFAULT 0,
    invite_expires_at datetime,
    accepted_at       datetime,
    consent_version   integer,
    consent_at        datetime,
    submitted_at      datetime,
    revision          integer NOT NULL DEFAULT 0,
    profiled_at       datetime,
    decided_at        datetime,
    withdrawn_at      datetime,
    revoked_at        datetime,
    reopen_message    blob,
    created_at        datetime NOT NULL,
    updated_at        datetime NOT NULL,
    UNIQUE (round_id, email)
);
CREATE INDEX candidates_round_status_idx ON candidates(round_id, status);
CREATE INDEX candidates_status_idx ON candidates(status);

CREATE TABLE sessions (
    id           text PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE,
    user_id      text REFERENCES users(id) ON DELETE CASCADE,
    candidate_id text REFERENCES candidates(id) ON DELETE CASCADE,
    created_at   datetime NOT NULL,
    last_seen_at datetime NOT NULL,
    expires_at   datetime NOT NULL
);

CREATE TABLE answers (
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    question_id  text NOT NULL,
    value        blob NOT NULL,
    updated_at   datetime NOT NULL,
    PRIMARY KEY (candidate_id, question_id)
);

CREATE TABLE profiles (
    id                    text PRIMARY KEY,
    candidate_id          text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    revision              integer NOT NULL,
    questionnaire_version integer NOT NULL,
    input_hash            text NOT NULL,
    overall               text NOT NULL,
    body                  blob NOT NULL,
    is_current            boolean NOT NULL DEFAULT true,
    compiled_at           datetime NOT NULL
);
CREATE INDEX profiles_candidate_idx ON profiles(candidate_id, is_current);

CREATE TABLE vog_records (
    candidate_id      text PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    status            text NOT NULL,
    klaargezet_on     text,
    requested_on      text,
    issued_on         text,
    screening_profile text NOT NULL,
    validated_by      text,
    updated_by        text NOT NULL,
    updated_at        datetime NOT NULL
);

CREATE TABLE notes (
    id           text PRIMARY KEY,
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    author_id    text NOT NULL,
    body         blob NOT NULL,
    created_at   datetime NOT NULL
);
CREATE INDEX notes_candidate_idx ON notes(candidate_id);

CREATE TABLE decisions (
    id               text PRIMARY KEY,
    candidate_id     text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    outcome          text NOT NULL,
    reasons          blob NOT NULL,
    release_to_board boolean NOT NULL DEFAULT false,
    decided_by       text NOT NULL,
    created_at       datetime NOT NULL
);
CREATE INDEX decisions_candidate_idx ON decisions(candidate_id);

CREATE TABLE audit_events (
    id           text PRIMARY KEY,
    party_id     text NOT NULL,
    seq          integer NOT NULL,
    candidate_id text,
    actor_id     text NOT NULL,
    actor_role   text NOT NULL,
    action       text NOT NULL,
    created_at   datetime NOT NULL,
    prev_hash    text NOT NULL,
    hash         text NOT NULL,
    UNIQUE (party_id, seq)
);
CREATE INDEX audit_candidate_idx ON audit_events(candidate_id);

CREATE TABLE mail_outbox (
    id         text PRIMARY KEY,
    to_addr    text NOT NULL,
    subject    text NOT NULL,
    body_text  text NOT NULL,
    sent_at    datetime NOT NULL
);

-- +goose Down
DROP TABLE mail_outbox;
DROP TABLE audit_events;
DROP TABLE decisions;
DROP TABLE notes;
DROP TABLE vog_records;
DROP TABLE profiles;
DROP TABLE answers;
DROP TABLE sessions;
DROP TABLE candidates;
DROP TABLE rounds;
DROP TABLE memberships;
DROP TABLE parties;
DROP TABLE users;
