package models

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/secure"
)

// Compiled is what the evaluation of a CompileInput gives CompileRevision
// to store: the profile, the hash of its inputs, the answers it was
// compiled from (the visible ones) and the candidate's organisations.
type Compiled struct {
	Profile   questionnaires.Profile
	InputHash string
	Answers   questionnaires.Answers
	// AnswersJSON is Answers as json.Marshal encodes them, when eval has
	// them already (nil: CompileRevision encodes them).
	AnswersJSON []byte
	Network     []network.Org
}

// errNothingToDo ends a compile's transaction that found nothing to do
// (the candidate is gone, the revision superseded, the file moved on).
var errNothingToDo = errors.New("nothing to compile")

// CompileRevision is the whole profile compile of a candidate's revision in
// one transaction: it locks the candidate (locks.go), reads the file,
// runs eval (a pure function: no database access), stores the network and
// the profile, moves a submitted file to profiled (with the committee's
// profile-ready mails as outbox tasks), removes the compile's own outbox
// task and commits. Rows whose content does not change are not written
// again: the same organisations leave the network be, the same input hash
// leaves the current profile be.
//
// It returns a nil input when there was nothing to do: the candidate is
// gone, the revision is superseded (the task of the newer one does the
// work), or the file moved on (withdrawn, reopened; ErrStale and
// *TransitionError are reported this way, not as errors). The compile's
// outbox task is removed then too. wrote tells whether a new profile
// version was stored. An error (the database, the key store, eval) leaves
// everything as it was, the outbox task included, for a retry. The input's
// Candidate holds the columns a compile reads (ids, status, revisions,
// network, the sealed name, address and level, opened); its Party the VOG
// age.
func (s *Store) CompileRevision(ctx context.Context, id string, revision int, eval func(*CompileInput) (*Compiled, error)) (*CompileInput, bool, error) {
	// The data key first, outside the transaction: the key store is
	// another database, and no row is held while it answers.
	var wrapped []byte
	var keyErr error
	if s.keystore != nil {
		kctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		wrapped, keyErr = s.keystore.Get(kctx, id)
		cancel()
	}
	var in *CompileInput
	wrote := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		in, wrote, err = s.compileTx(tx, id, revision, wrapped, keyErr, eval)
		return err
	})
	var te *TransitionError
	if errors.Is(err, errNothingToDo) || errors.Is(err, ErrStale) || errors.As(err, &te) {
		return nil, false, s.TaskDone(ctx, CompileTaskID(id, revision))
	}
	if err != nil {
		return nil, false, err
	}
	return in, wrote, nil
}

// compileRow is the locked candidate (the columns the compile uses) with
// the party's VOG age and audit chain head.
type compileRow struct {
	Candidate
	MaxVOGAgeDays int
	AuditSeq      int64
	AuditHead     string
}

// lockForCompile reads and locks the candidate for compileTx (nil: no such
// candidate), scanning the columns itself: this runs once per compile.
func (s *Store) lockForCompile(tx *gorm.DB, id string) (*compileRow, error) {
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR NO KEY UPDATE OF c" // rowLock, of the candidate only
	}
	rows, err := tx.Raw(`SELECT c.id, c.party_id, c.round_id, c.name_enc, c.email_enc, c.level_enc, c.status, c.data_key, c.revision,
		c.profile_revision, c.network, p.max_vog_age_days, p.audit_seq, p.audit_head
		FROM candidates c JOIN parties p ON p.id = c.party_id WHERE c.id = ?`+lock, id).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, rows.Err()
	}
	var r compileRow
	c := &r.Candidate
	var status string
	if err := rows.Scan(&c.ID, &c.PartyID, &c.RoundID, &c.NameEnc, &c.EmailEnc, &c.LevelEnc, &status, &c.DataKey, &c.Revision,
		&c.ProfileRevision, &c.Network, &r.MaxVOGAgeDays, &r.AuditSeq, &r.AuditHead); err != nil {
		return nil, err
	}
	c.Status = Status(status)
	return &r, rows.Close()
}

// fileRow is one row of the file read (compileTx): an answer, the VOG, the
// current profile, a network key or a recipient of the profile-ready mail.
type fileRow struct {
	kind, ref, hash string
	data            []byte
	rev             int
}

func (s *Store) compileTx(tx *gorm.DB, id string, revision int, wrapped []byte, keyErr error, eval func(*CompileInput) (*Compiled, error)) (*CompileInput, bool, error) {
	// 1. The candidate, locked until commit (two runs of the same task, as
	// asynq delivers at least once, go one after the other), with the
	// party's VOG age: changing that bumps the revision of every screened
	// file under their locks (UpdateVOGAge), so what is read here belongs
	// to the revision that is checked. The party's audit chain head comes
	// along unlocked (auditAfter appends only if it is still the head).
	row, err := s.lockForCompile(tx, id)
	if err != nil {
		return nil, false, err
	}
	if row == nil {
		return nil, false, errNothingToDo // deleted meanwhile
	}
	c := &row.Candidate
	if c.Revision != revision {
		return nil, false, errNothingToDo // superseded: the task of the newer revision does the work
	}
	act := ActCompile
	if c.Status == StatusSubmitted {
		act = ActProfile
	}
	if !Allowed(c.Status, act) {
		return nil, false, errNothingToDo // withdrawn, reopened, …: the file moved on
	}
	if s.keystore == nil {
		wrapped = c.DataKey
	} else if keyErr != nil {
		return nil, false, keyErr
	}
	ci, err := s.unwrapCipher(c.ID, wrapped)
	if err != nil {
		return nil, false, err
	}
	c.ci = ci
	if err := s.openCandidate(c); err != nil {
		return nil, false, err
	}
	r, def, err := s.cachedRound(tx, c.RoundID)
	if errors.Is(err, ErrNotFound) {
		return nil, false, errNothingToDo // the round is gone (and the file with it)
	}
	if err != nil {
		return nil, false, err
	}

	// 2. The rest of the file in one round trip, read after the lock so
	// that it is what the lock holds: the answers, the VOG, the current
	// profile, the network index rows, and for a first profile the
	// committee members to tell.
	q := `SELECT 'a' AS kind, question_id AS ref, value AS data, '' AS hash, 0 AS rev FROM answers WHERE candidate_id = ?
		UNION ALL SELECT 'v', '', sealed, '', 0 FROM vog_records WHERE candidate_id = ?
		UNION ALL SELECT 'p', id, NULL, input_hash, revision FROM profiles WHERE candidate_id = ? AND is_current = ?
		UNION ALL SELECT 'k', key_hash, NULL, '', 0 FROM network_keys WHERE candidate_id = ?`
	args := []any{id, id, id, true, id}
	if act == ActProfile {
		// As recipients(): active members of the role, with a password,
		// not recused from the file.
		q += `
		UNION ALL SELECT 'r', id, NULL, '', 0 FROM users WHERE password_hash IS NOT NULL
			AND id IN (SELECT user_id FROM memberships WHERE party_id = ? AND role = ? AND status = ?)
			AND id NOT IN (SELECT user_id FROM recusals WHERE candidate_id = ?)`
		args = append(args, c.PartyID, RoleCommissie, MemberActive, id)
	}
	file, err := readFile(tx, q, args...)
	if err != nil {
		return nil, false, err
	}
	in := &CompileInput{Candidate: c, Round: r, Party: &Party{ID: c.PartyID, MaxVOGAgeDays: row.MaxVOGAgeDays}, Def: def, Answers: questionnaires.Answers{}}
	var cur *fileRow
	oldKeys := map[string]bool{}
	var recipients []string
	for i := range file {
		f := &file[i]
		switch f.kind {
		case "a":
			b, err := ci.Open(f.data, c.ID+":answer:"+f.ref)
			if err != nil {
				return nil, false, err
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				return nil, false, err
			}
			in.Answers[f.ref] = v
		case "v":
			in.VOG = &VOGRecord{CandidateID: c.ID, Sealed: f.data}
			if err := s.openVOG(c, in.VOG); err != nil {
				return nil, false, err
			}
		case "p":
			cur = f
		case "k":
			oldKeys[f.ref] = true
		case "r":
			recipients = append(recipients, f.ref)
		}
	}

	// 3. The evaluation: pure, while the row is held.
	out, err := eval(in)
	if err != nil {
		return nil, false, err
	}

	// 4. The writes, in one batch (one round trip on PostgreSQL): the
	// candidate row (network, level, status), the network index, the
	// profile, the outbox; then the audit event, whose party row is
	// locked last (locks.go).
	var batch []stmt
	netJSON, err := json.Marshal(out.Network)
	if err != nil {
		return nil, false, err
	}
	var netEnc, levelEnc []byte // nil: unchanged (the COALESCE keeps the column)
	if len(c.Network) == 0 || !sameSealed(ci, c.Network, c.ID+":network", netJSON) {
		if netEnc, err = ci.Seal(netJSON, c.ID+":network"); err != nil {
			return nil, false, err
		}
	}
	level := string(out.Profile.Overall)
	if c.Level == nil || *c.Level != level {
		if levelEnc, err = s.sealLevel(c, &level); err != nil {
			return nil, false, err
		}
	}
	// A repeated compile of a profiled file that changes nothing (asynq
	// delivers at least once) leaves the row as it is; anything else moves
	// the file through the workflow (move's conditional update), which
	// stamps it.
	if act == ActProfile || netEnc != nil || levelEnc != nil || c.ProfileRevision != revision {
		to, err := next(c.Status, act)
		if err != nil {
			return nil, false, err
		}
		now := s.now()
		batch = append(batch, stmt{sql: `UPDATE candidates SET status = ?, updated_at = ?, profiled_at = ?, profile_revision = ?,
			level_enc = COALESCE(?, level_enc), network = COALESCE(?, network) WHERE id = ? AND status = ?`,
			args: []any{string(to), now, now, revision, levelEnc, netEnc, c.ID, string(c.Status)}})
	}
	moved := len(batch) == 1

	// The network index: only the keys that come or go.
	newKeys := s.networkKeys(c, out.Network)
	var gone, added []string
	for k := range oldKeys {
		if !newKeys.has(k) {
			gone = append(gone, k)
		}
	}
	for _, k := range newKeys.list {
		if !oldKeys[k.KeyHash] {
			added = append(added, k.KeyHash)
		}
	}
	if len(gone) > 0 {
		batch = append(batch, stmt{sql: `DELETE FROM network_keys WHERE candidate_id = ? AND key_hash IN (SELECT value FROM ` + s.jsonRows(false) + `)`,
			args: []any{c.ID, jsonArg(gone)}})
	}
	if len(added) > 0 {
		batch = append(batch, stmt{sql: `INSERT INTO network_keys (candidate_id, party_id, key_hash) SELECT ?, ?, value FROM ` + s.jsonRows(false),
			args: []any{c.ID, c.PartyID, jsonArg(added)}})
	}

	// The profile: a new current version unless the inputs are the same.
	wrote := false
	switch {
	case cur != nil && cur.hash == out.InputHash:
		if cur.rev != revision {
			batch = append(batch, stmt{sql: `UPDATE profiles SET revision = ? WHERE id = ?`, args: []any{revision, cur.ref}})
		}
	default:
		if cur != nil {
			// Before the insert, in a statement of its own: the unique
			// index on the current profile must not see two at once.
			if err := tx.Exec(`UPDATE profiles SET is_current = ? WHERE candidate_id = ? AND is_current = ?`, false, id, true).Error; err != nil {
				return nil, false, err
			}
		}
		body, err := json.Marshal(out.Profile)
		if err != nil {
			return nil, false, err
		}
		ansJSON := out.AnswersJSON
		if ansJSON == nil {
			if ansJSON, err = json.Marshal(out.Answers); err != nil {
				return nil, false, err
			}
		}
		enc, err := ci.Seal(body, c.ID+":profile")
		if err != nil {
			return nil, false, err
		}
		encAns, err := ci.Seal(ansJSON, c.ID+":profile.answers")
		if err != nil {
			return nil, false, err
		}
		batch = append(batch, stmt{sql: `INSERT INTO profiles (id, candidate_id, revision, questionnaire_version, input_hash, body, answers, is_current, compiled_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, args: []any{newID(), id, revision, out.Profile.QuestionnaireVersion, out.InputHash, enc, encAns, true, s.now()}})
		wrote = true
	}

	// This compile's outbox task is done with this transaction.
	batch = append(batch, stmt{sql: `DELETE FROM task_outbox WHERE task_id = ?`, args: []any{CompileTaskID(id, revision)}})
	if len(recipients) > 0 {
		// The committee hears that a submitted file is ready (no content).
		type task struct {
			TaskID  string `json:"task_id"`
			Payload string `json:"payload"`
		}
		ts := make([]task, len(recipients))
		for i, u := range recipients {
			t := mailTask(MailPayload{Kind: MailProfileReady, CandidateID: c.ID, UserID: u, Seq: revision})
			ts[i] = task{t.TaskID, t.Payload}
		}
		now := s.now()
		batch = append(batch, stmt{sql: `INSERT INTO task_outbox (task_id, type, payload, due_at, attempts, created_at)
			SELECT value ->> 'task_id', ?, value ->> 'payload', ?, 0, ? FROM ` + s.jsonRows(true) + ` WHERE true ON CONFLICT DO NOTHING`,
			args: []any{TaskMail, now, now, jsonArg(ts)}})
		s.outboxWritten(tx)
	}
	var audit *auditTail
	if wrote {
		if batch, audit, err = s.auditAfter(tx, batch, c.PartyID, row.AuditSeq, row.AuditHead, &c.ID, SystemActor, "profile.compile"); err != nil {
			return nil, false, err
		}
	}
	n, err := s.execBatch(tx, batch...)
	if err != nil {
		if duplicate(err) {
			return nil, false, ErrStale // another run made its version current
		}
		return nil, false, err
	}
	if moved && n[0] == 0 {
		return nil, false, &TransitionError{From: c.Status, Action: act}
	}
	if audit != nil {
		if err := s.finish(tx, audit); err != nil {
			return nil, false, err
		}
	}
	in.Answers = out.Answers
	return in, wrote, nil
}

// sameSealed tells whether a sealed value holds plaintext.
func sameSealed(ci *secure.Cipher, sealed []byte, aad string, plaintext []byte) bool {
	old, err := ci.Open(sealed, aad)
	return err == nil && bytes.Equal(old, plaintext)
}

// jsonRows is a FROM item that makes rows of the elements of a JSON array
// argument (jsonArg), as column value: text for an array of strings, or
// (objects) a JSON value that ->> reads.
func (s *Store) jsonRows(objects bool) string {
	switch {
	case s.dialect != Postgres:
		return "json_each(?)"
	case objects:
		return "jsonb_array_elements(CAST(? AS jsonb)) AS j(value)"
	default:
		return "jsonb_array_elements_text(CAST(? AS jsonb)) AS j(value)"
	}
}

// jsonArg encodes a list for jsonRows: one argument whatever its length,
// so that the statement's text (PostgreSQL prepares each text once per
// connection) does not depend on how many rows it writes.
func jsonArg(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func readFile(tx *gorm.DB, q string, args ...any) ([]fileRow, error) {
	rows, err := tx.Raw(q, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fileRow
	for rows.Next() {
		var f fileRow
		var hash *string
		if err := rows.Scan(&f.kind, &f.ref, &f.data, &hash, &f.rev); err != nil {
			return nil, err
		}
		if hash != nil {
			f.hash = *hash
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// keySet is a candidate's network index rows, in the order they were found.
type keySet struct {
	list []NetworkKey
	seen map[string]bool
}

func (k keySet) has(h string) bool { return k.seen[h] }

// networkKeys derives the index rows of a candidate's organisations: a
// keyed hash of each normalised key, per party.
func (s *Store) networkKeys(c *Candidate, orgs []network.Org) keySet {
	ks := keySet{seen: map[string]bool{}}
	for _, o := range orgs {
		for _, k := range o.Key.Strings() {
			if k == "" || k[0] == '#' {
				continue
			}
			h := s.keys.IndexMAC(c.PartyID + "\x00" + k)
			if !ks.seen[h] {
				ks.seen[h] = true
				ks.list = append(ks.list, NetworkKey{CandidateID: c.ID, PartyID: c.PartyID, KeyHash: h})
			}
		}
	}
	return ks
}

// cachedRound returns a round and its pinned questionnaire. A round never
// changes once it exists (nothing updates rounds), so it is read once per
// process.
func (s *Store) cachedRound(tx *gorm.DB, id string) (*Round, *questionnaires.Definition, error) {
	if v, ok := s.rounds.Load(id); ok {
		e := v.(roundEntry)
		r := *e.round
		return &r, e.def, nil
	}
	var r Round
	if err := tx.Take(&r, "id = ?", id).Error; err != nil {
		return nil, nil, notFound(err)
	}
	def, err := s.forms.Get(r.QuestionnaireID, r.QuestionnaireVersion)
	if err != nil {
		return nil, nil, fmt.Errorf("round %s: %w", id, err)
	}
	def = def.ForOffice(r.Office) // show_if may ask the office (version 2)
	stored := r
	s.rounds.Store(id, roundEntry{round: &stored, def: def})
	return &r, def, nil
}

type roundEntry struct {
	round *Round
	def   *questionnaires.Definition
}
