-- +goose Up
-- Issue 11, finding 8: nothing readable about a candidate stays next to
-- their name in a copy of the database. The candidate's name, address and
-- level, the decision's outcome and release flags, and the VOG status and
-- dates are sealed with the candidate's data key (so deleting the key
-- shreds them too); the address is found through a keyed hash.
--
-- SQL cannot encrypt, so the old plain values move to legacy_plain here and
-- the service seals them at its next start (Store.SealLegacy), emptying
-- that table. Until then nothing of them is left in the working tables.
CREATE TABLE legacy_plain (
    kind         text NOT NULL,   -- candidate | decision | vog
    id           text NOT NULL,   -- candidate, decision or candidate id
    candidate_id text NOT NULL,
    body         text NOT NULL,   -- the old plain values as JSON
    PRIMARY KEY (kind, id)
);

INSERT INTO legacy_plain (kind, id, candidate_id, body)
SELECT 'candidate', id, id, json_object('name', name, 'email', email, 'level', level) FROM candidates;
ALTER TABLE candidates DROP COLUMN name;
ALTER TABLE candidates DROP COLUMN level;
-- The unique (round_id, email) constraint goes along: duplicates are found
-- on the keyed hash of the normalised address.
ALTER TABLE candidates RENAME COLUMN email TO email_hash;
UPDATE candidates SET email_hash = 'legacy:' || id;
ALTER TABLE candidates ADD COLUMN name_enc blob;
ALTER TABLE candidates ADD COLUMN email_enc blob;
ALTER TABLE candidates ADD COLUMN level_enc blob;

INSERT INTO legacy_plain (kind, id, candidate_id, body)
SELECT 'decision', id, candidate_id, json_object('outcome', outcome, 'release_to_board', release_to_board, 'release_conditions', release_conditions) FROM decisions;
ALTER TABLE decisions DROP COLUMN outcome;
ALTER TABLE decisions DROP COLUMN release_to_board;
ALTER TABLE decisions DROP COLUMN release_conditions;
ALTER TABLE decisions ADD COLUMN sealed blob;

INSERT INTO legacy_plain (kind, id, candidate_id, body)
SELECT 'vog', candidate_id, candidate_id, json_object('status', status, 'klaargezet_on', klaargezet_on, 'requested_on', requested_on,
    'issued_on', issued_on, 'screening_profile', screening_profile, 'validated_by', validated_by) FROM vog_records;
ALTER TABLE vog_records DROP COLUMN status;
ALTER TABLE vog_records DROP COLUMN klaargezet_on;
ALTER TABLE vog_records DROP COLUMN requested_on;
ALTER TABLE vog_records DROP COLUMN issued_on;
ALTER TABLE vog_records DROP COLUMN screening_profile;
ALTER TABLE vog_records DROP COLUMN validated_by;
ALTER TABLE vog_records ADD COLUMN sealed blob;

-- The overall level is inside the sealed profile body already.
ALTER TABLE profiles DROP COLUMN overall;

-- The dev outbox is sealed under a key from the key store; the old mails
-- (with live links) are dropped.
DELETE FROM mail_outbox;
ALTER TABLE mail_outbox DROP COLUMN to_addr;
ALTER TABLE mail_outbox DROP COLUMN subject;
ALTER TABLE mail_outbox DROP COLUMN body_text;
ALTER TABLE mail_outbox ADD COLUMN sealed blob;

-- SMTP errors name the recipient: new ones are stored without addresses.
UPDATE mail_deliveries SET error = 'De mailserver weigerde het bericht (de oude melding is verwijderd omdat er een adres in stond).' WHERE error LIKE '%@%';

-- +goose Down
-- Sealed values cannot be decrypted in SQL: going down loses them.
ALTER TABLE mail_outbox DROP COLUMN sealed;
ALTER TABLE mail_outbox ADD COLUMN to_addr text NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN subject text NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN body_text text NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN overall text NOT NULL DEFAULT '';
ALTER TABLE vog_records DROP COLUMN sealed;
ALTER TABLE vog_records ADD COLUMN status text NOT NULL DEFAULT 'niet_gevraagd';
ALTER TABLE vog_records ADD COLUMN klaargezet_on text;
ALTER TABLE vog_records ADD COLUMN requested_on text;
ALTER TABLE vog_records ADD COLUMN issued_on text;
ALTER TABLE vog_records ADD COLUMN screening_profile text NOT NULL DEFAULT '01 politieke ambtsdragers';
ALTER TABLE vog_records ADD COLUMN validated_by text;
ALTER TABLE decisions DROP COLUMN sealed;
ALTER TABLE decisions ADD COLUMN outcome text NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN release_to_board boolean NOT NULL DEFAULT false;
ALTER TABLE decisions ADD COLUMN release_conditions boolean NOT NULL DEFAULT false;
ALTER TABLE candidates DROP COLUMN level_enc;
ALTER TABLE candidates DROP COLUMN email_enc;
ALTER TABLE candidates DROP COLUMN name_enc;
ALTER TABLE candidates RENAME COLUMN email_hash TO email;
ALTER TABLE candidates ADD COLUMN level text;
ALTER TABLE candidates ADD COLUMN name text NOT NULL DEFAULT '';
DROP TABLE legacy_plain;
