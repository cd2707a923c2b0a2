-- +goose Up
-- Issue 13, part 4: the candidate's consent to the short summary for the
-- board (samenvatting voor het bestuur of de raad). The row holds the
-- summary exactly as the candidate read it when consenting, sealed with the
-- candidate's data key, and the confirmed advice it belongs to: a new
-- advice (after a reopen) needs a new consent. Withdrawing the consent
-- deletes the row; both are events in the audit chain.
CREATE TABLE summary_consents (
    candidate_id text PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    decision_id  text NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
    summary      blob NOT NULL,
    consented_at datetime NOT NULL
);

-- +goose Down
DROP TABLE summary_consents;
