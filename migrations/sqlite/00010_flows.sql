-- +goose Up
-- Links a candidate gets besides the invitation: the hearing notice's link
-- (valid for the reply window) and a link asked for on /link-aanvragen
-- (short-lived). Only the token's hash is kept; the token is made when the
-- mail is sent. The invitation's own fields on candidates stay untouched,
-- so the board cannot tell that such a link was sent.
CREATE TABLE candidate_links (
    id           text PRIMARY KEY,
    candidate_id text NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
    purpose      text NOT NULL,
    token_hash   text UNIQUE,
    expires_at   datetime,
    created_at   datetime NOT NULL
);
CREATE INDEX candidate_links_candidate_idx ON candidate_links(candidate_id);

-- A recusal holds for the person across every file linked through a
-- herhaalscan (previous_id, both ways). Recusals made before this
-- migration on one file only are carried over to the linked files; their
-- reason stays encrypted with the file it was given on (empty here).
INSERT INTO recusals (id, candidate_id, user_id, reason, created_at)
WITH RECURSIVE edge(a, b) AS (
    SELECT id, previous_id FROM candidates WHERE previous_id IS NOT NULL
    UNION SELECT previous_id, id FROM candidates WHERE previous_id IS NOT NULL
), reach(src, dst) AS (
    SELECT a, b FROM edge
    UNION SELECT reach.src, edge.b FROM reach JOIN edge ON edge.a = reach.dst
)
SELECT lower(hex(randomblob(16))), reach.dst, r.user_id, x'', min(r.created_at)
FROM reach
JOIN recusals r ON r.candidate_id = reach.src
JOIN candidates c ON c.id = reach.dst
WHERE NOT EXISTS (SELECT 1 FROM recusals o WHERE o.candidate_id = reach.dst AND o.user_id = r.user_id)
GROUP BY reach.dst, r.user_id;

-- +goose Down
DROP TABLE candidate_links;
