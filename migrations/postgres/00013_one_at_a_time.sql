-- +goose Up
-- Issue 12, item 3: what a candidate may have only once is said by the
-- schema too, not only by the Store's row locks (models/locks.go). A
-- duplicate that a race left before this migration is settled first.

-- One pending advice proposal per candidate: the oldest stays, a later one
-- is rejected by the system (as a reopen or recusal rejects one).
UPDATE decisions SET status = 'afgewezen', rejected_by = 'system', rejected_at = created_at
WHERE status = 'voorgesteld' AND EXISTS (
    SELECT 1 FROM decisions o
    WHERE o.candidate_id = decisions.candidate_id AND o.status = 'voorgesteld'
      AND (o.created_at < decisions.created_at OR (o.created_at = decisions.created_at AND o.id < decisions.id)));
CREATE UNIQUE INDEX decisions_one_pending_idx ON decisions(candidate_id) WHERE status = 'voorgesteld';

-- One current profile per candidate: the newest compile stays current.
UPDATE profiles SET is_current = false
WHERE is_current AND EXISTS (
    SELECT 1 FROM profiles o
    WHERE o.candidate_id = profiles.candidate_id AND o.is_current
      AND (o.compiled_at > profiles.compiled_at OR (o.compiled_at = profiles.compiled_at AND o.id > profiles.id)));
CREATE UNIQUE INDEX profiles_one_current_idx ON profiles(candidate_id) WHERE is_current;

-- One hearing link and one reopen link per candidate (a new one replaces
-- the old one, see Store.newLink): the newest stays.
DELETE FROM candidate_links
WHERE purpose IN ('hearing', 'reopen') AND EXISTS (
    SELECT 1 FROM candidate_links o
    WHERE o.candidate_id = candidate_links.candidate_id AND o.purpose = candidate_links.purpose
      AND (o.created_at > candidate_links.created_at OR (o.created_at = candidate_links.created_at AND o.id > candidate_links.id)));
CREATE UNIQUE INDEX candidate_links_one_idx ON candidate_links(candidate_id, purpose) WHERE purpose IN ('hearing', 'reopen');

-- +goose Down
DROP INDEX candidate_links_one_idx;
DROP INDEX profiles_one_current_idx;
DROP INDEX decisions_one_pending_idx;
