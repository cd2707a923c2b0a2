-- +goose Up
-- Issue 12: the task outbox. Every follow-up task of a state change (a
-- profile compile, every mail) is written in the transaction of that change;
-- the relay queues it in asynq under its TaskID and the row stays until the
-- task has done its work. Payloads hold ids only.
CREATE TABLE task_outbox (
    task_id    text PRIMARY KEY,      -- the asynq TaskID
    type       text NOT NULL,         -- profile:compile | mail:send
    payload    text NOT NULL,         -- JSON, ids only
    due_at     timestamptz NOT NULL,  -- when the relay queues it (again)
    attempts   integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL
);
CREATE INDEX task_outbox_due_idx ON task_outbox(due_at);

-- What the reconciler of earlier versions would still have queued: the
-- work that is due at the upgrade gets its row, so the reconciler can stop
-- guessing (the same conditions as its Due… queries).
INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'profile:compile:' || id || ':' || revision, 'profile:compile',
       json_build_object('candidate_id', id, 'revision', revision)::text, now(), 0, now()
FROM candidates WHERE status IN ('submitted', 'profiled', 'decided') AND profile_revision < revision
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:invitation:' || id || ':' || invite_seq, 'mail:send',
       json_build_object('kind', 'invitation', 'candidate_id', id, 'seq', invite_seq)::text, now(), 0, now()
FROM candidates WHERE status = 'invited' AND invite_sent_seq < invite_seq
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:reopen:' || c.id || ':' || c.revision, 'mail:send',
       json_build_object('kind', 'reopen', 'candidate_id', c.id, 'seq', c.revision)::text, now(), 0, now()
FROM candidates c WHERE c.status = 'in_progress' AND c.submitted_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM mail_deliveries d WHERE d.candidate_id = c.id AND d.kind = 'reopen'
                  AND d.created_at >= c.submitted_at AND d.status IN ('sent', 'failed'))
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:setup:' || id || ':' || setup_seq, 'mail:send',
       json_build_object('kind', 'setup', 'user_id', id, 'seq', setup_seq)::text, now(), 0, now()
FROM users WHERE password_hash IS NULL AND setup_seq > setup_sent_seq
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:password_reset:' || id || ':' || reset_seq, 'mail:send',
       json_build_object('kind', 'password_reset', 'user_id', id, 'seq', reset_seq)::text, now(), 0, now()
FROM users WHERE password_hash IS NOT NULL AND reset_seq > reset_sent_seq
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:password_changed:' || id || ':' || password_seq, 'mail:send',
       json_build_object('kind', 'password_changed', 'user_id', id, 'seq', password_seq)::text, now(), 0, now()
FROM users WHERE password_seq > password_sent_seq
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:membership:' || m.id || ':' || m.invite_seq, 'mail:send',
       json_build_object('kind', 'membership', 'membership_id', m.id, 'seq', m.invite_seq)::text, now(), 0, now()
FROM memberships m WHERE m.status = 'uitgenodigd' AND m.invite_seq > 0
  AND NOT EXISTS (SELECT 1 FROM mail_deliveries d WHERE d.key = 'membership:' || m.id || ':' || m.invite_seq AND d.status IN ('sent', 'failed'))
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:member_notice:' || n.id, 'mail:send',
       json_build_object('kind', 'member_notice', 'notice_id', n.id)::text, now(), 0, now()
FROM member_notices n WHERE n.created_at > now() - interval '7 days'
  AND NOT EXISTS (SELECT 1 FROM mail_deliveries d WHERE d.key = 'member_notice:' || n.id AND d.status IN ('sent', 'failed'))
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:hearing:' || h.id, 'mail:send',
       json_build_object('kind', 'hearing', 'hearing_id', h.id)::text, now(), 0, now()
FROM hearings h WHERE h.replied_at IS NULL AND h.reply_due > now()
  AND NOT EXISTS (SELECT 1 FROM mail_deliveries d WHERE d.key = 'hearing:' || h.id AND d.status IN ('sent', 'failed'))
ON CONFLICT DO NOTHING;

INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
SELECT 'mail:send:link:' || l.id, 'mail:send',
       json_build_object('kind', 'link', 'link_id', l.id)::text, now(), 0, now()
FROM candidate_links l WHERE l.purpose = 'access' AND l.token_hash IS NULL AND l.created_at > now() - interval '1 hour'
  AND NOT EXISTS (SELECT 1 FROM mail_deliveries d WHERE d.key = 'link:' || l.id AND d.status IN ('sent', 'failed'))
ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE task_outbox;
