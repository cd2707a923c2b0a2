package screening

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The compile use case: a submitted revision (or a VOG change, a new VOG
// age) becomes a stored profile with its network, in one transaction.

// Compile evaluates a candidate's revision and stores the profile and
// network, in one transaction (models.Store.CompileRevision); the worker
// runs it for each profile:compile task. It returns a nil input when there
// is nothing to do (deleted, superseded or moved on meanwhile) and whether
// a new profile version was written. The compile's outbox task is done with
// the same transaction, or when there is nothing to do.
func (s *Service) Compile(ctx context.Context, candidateID string, revision int) (*models.CompileInput, bool, error) {
	return s.store.CompileRevision(ctx, candidateID, revision, func(in *models.CompileInput) (*models.Compiled, error) {
		// Answers hidden by show_if are not part of the submission: no flag,
		// excerpt, stored version or network may come from them.
		in.Answers = models.VisibleAnswers(in.Def, in.Answers)
		// Encoded once: for the input hash and for the profile's copy.
		ansJSON, err := json.Marshal(in.Answers)
		if err != nil {
			return nil, err
		}
		prof, hash, err := evaluate(in, s.store.Now(), ansJSON)
		if err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
		return &models.Compiled{Profile: prof, InputHash: hash, Answers: in.Answers, AnswersJSON: ansJSON, Network: Network(in)}, nil
	})
}

// Network extracts the organisations from the visible answers (the
// netwerkkaart and overlaps).
func Network(in *models.CompileInput) []network.Org {
	visible := in.Def.Visible(in.Answers)
	ans := questionnaires.Answers{}
	for k, v := range in.Answers {
		if visible[k] {
			ans[k] = v
		}
	}
	return network.Extract(ans)
}

// SaveNetwork stores the organisations of the visible answers with their
// index rows in a transaction of its own (the demo seed, tests; the worker
// stores them with the profile, see Compile).
func SaveNetwork(ctx context.Context, s *models.Store, in *models.CompileInput) error {
	return s.SaveNetwork(ctx, in.Candidate, Network(in))
}

// Evaluate runs the pure evaluation and hashes its inputs.
func Evaluate(in *models.CompileInput, now time.Time) (questionnaires.Profile, string, error) {
	return evaluate(in, now, nil)
}

// evaluate is Evaluate with the answers already encoded as json.Marshal
// encodes them (nil: encode them here); the hash is the same either way.
func evaluate(in *models.CompileInput, now time.Time, ansJSON []byte) (questionnaires.Profile, string, error) {
	ectx := questionnaires.Context{Office: in.Round.Office, Deadline: in.Round.Deadline, Now: now, MaxVOGAgeDays: in.Party.MaxVOGAgeDays}
	var vog *questionnaires.VOG
	if in.VOG != nil {
		vog = &questionnaires.VOG{Status: in.VOG.Status, IssuedOn: in.VOG.IssuedDate()}
	}
	prof, err := questionnaires.Evaluate(in.Def, in.Answers, vog, ectx)
	if err != nil {
		return prof, "", err
	}
	// Time-dependent rules are folded in through their derived booleans, so a
	// passing deadline also produces a new input hash.
	h := sha256.New()
	enc := json.NewEncoder(h)
	var answers any = in.Answers
	if ansJSON != nil {
		answers = json.RawMessage(ansJSON)
	}
	_ = enc.Encode(map[string]any{
		"q": in.Def.ID, "v": in.Def.Version, "office": in.Round.Office, "answers": answers, "vog": vog,
		"deadline_passed": !in.Round.Deadline.IsZero() && in.Round.Deadline.Before(now),
		"vog_expired":     vog != nil && questionnaires.VOGExpired(vog.Status, vog.IssuedOn, in.Party.MaxVOGAgeDays, now),
	})
	return prof, hex.EncodeToString(h.Sum(nil)), nil
}
