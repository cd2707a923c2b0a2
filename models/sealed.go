package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/secure"
)

// Every candidate-linked content field is sealed with the candidate's data
// key, so that deleting the key (retention, crypto-shredding) leaves nothing
// readable about the person in an older copy of the database: name,
// address and level on the candidate row, outcome and release flags of each
// decision, VOG status and dates (answers, profiles, notes, hearings,
// reasons and networks were sealed before). Workflow status and timestamps
// stay plain. The helpers here seal right before a write and open right
// after a load; sorting and filtering happen in the application on the
// opened values. The address is also kept as a keyed hash (EmailHash, key
// from the key store) for duplicate checks and look-ups.

// EmailHash is the look-up key of an e-mail address: an HMAC of the
// normalised address under the key store's lookup secret. Find a candidate
// by address with Where("email_hash = ?", hash).
func (s *Store) EmailHash(ctx context.Context, email string) (string, error) {
	key, _, err := s.secret(ctx, secretLookup)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(NormalizeEmail(email)))
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// sealCandidate seals Name, Email and Level into the row's fields and sets
// the address hash; call it before creating the row.
func (s *Store) sealCandidate(ctx context.Context, c *Candidate) error {
	ci, err := s.cipher(c)
	if err != nil {
		return err
	}
	if c.NameEnc, err = ci.Seal([]byte(c.Name), c.ID+":name"); err != nil {
		return err
	}
	if c.EmailEnc, err = ci.Seal([]byte(c.Email), c.ID+":email"); err != nil {
		return err
	}
	if c.EmailHash, err = s.EmailHash(ctx, c.Email); err != nil {
		return err
	}
	c.LevelEnc, err = s.sealLevel(c, c.Level)
	return err
}

// sealLevel seals a candidate's overall level (nil: no profile yet).
func (s *Store) sealLevel(c *Candidate, level *string) ([]byte, error) {
	if level == nil {
		return nil, nil
	}
	return s.seal(c, []byte(*level), "level")
}

// openCandidate fills Name, Email and Level from the sealed fields that
// were loaded (a load of a few columns opens nothing).
func (s *Store) openCandidate(c *Candidate) error {
	if len(c.NameEnc) == 0 && len(c.EmailEnc) == 0 && len(c.LevelEnc) == 0 {
		return nil
	}
	ci, err := s.cipher(c)
	if err != nil {
		return err
	}
	field := func(enc []byte, aad string) (string, error) {
		if len(enc) == 0 {
			return "", nil
		}
		b, err := ci.Open(enc, c.ID+":"+aad)
		return string(b), err
	}
	if c.Name, err = field(c.NameEnc, "name"); err != nil {
		return err
	}
	if c.Email, err = field(c.EmailEnc, "email"); err != nil {
		return err
	}
	c.Level = nil
	if len(c.LevelEnc) > 0 {
		l, err := field(c.LevelEnc, "level")
		if err != nil {
			return err
		}
		c.Level = &l
	}
	return nil
}

// cipherMany memoises the data keys of loaded candidates with one key-store
// query for all of them; a candidate whose key is gone (shredded) keeps no
// cipher.
func (s *Store) cipherMany(ctx context.Context, cs []*Candidate) error {
	var wrapped map[string][]byte
	if s.keystore != nil {
		ids := make([]string, 0, len(cs))
		for _, c := range cs {
			if c.ci == nil {
				ids = append(ids, c.ID)
			}
		}
		if len(ids) == 0 {
			return nil
		}
		var err error
		if wrapped, err = s.keystore.GetMany(ctx, ids); err != nil {
			return err
		}
	}
	for _, c := range cs {
		if c.ci != nil {
			continue
		}
		key := c.DataKey
		if wrapped != nil {
			if key = wrapped[c.ID]; key == nil {
				continue
			}
		}
		ci, err := s.unwrapCipher(c.ID, key)
		if err != nil {
			return err
		}
		c.ci = ci
	}
	return nil
}

// openCandidates opens a list of loaded candidates with one key-store
// query; candidates whose key is gone are left out (their row goes with
// the key, so only a restored copy has them).
func (s *Store) openCandidates(ctx context.Context, cs []Candidate) ([]Candidate, error) {
	ptrs := make([]*Candidate, len(cs))
	for i := range cs {
		ptrs[i] = &cs[i]
	}
	if err := s.cipherMany(ctx, ptrs); err != nil {
		return nil, err
	}
	out := cs[:0]
	for i := range cs {
		if cs[i].ci == nil {
			continue
		}
		if err := s.openCandidate(&cs[i]); err != nil {
			return nil, err
		}
		out = append(out, cs[i])
	}
	return out, nil
}

// decisionFields are the sealed parts of a decision.
type decisionFields struct {
	Outcome           string `json:"outcome"`
	ReleaseToBoard    bool   `json:"release_to_board"`
	ReleaseConditions bool   `json:"release_conditions"`
}

func decisionAAD(d *Decision) string { return "decision.fields:" + d.ID }

func (s *Store) sealDecision(c *Candidate, d *Decision) error {
	b, err := json.Marshal(decisionFields{Outcome: d.Outcome, ReleaseToBoard: d.ReleaseToBoard, ReleaseConditions: d.ReleaseConditions})
	if err != nil {
		return err
	}
	d.Sealed, err = s.seal(c, b, decisionAAD(d))
	return err
}

func (s *Store) openDecision(c *Candidate, d *Decision) error {
	if len(d.Sealed) == 0 {
		return nil
	}
	b, err := s.open(c, d.Sealed, decisionAAD(d))
	if err != nil {
		return err
	}
	var f decisionFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	d.Outcome, d.ReleaseToBoard, d.ReleaseConditions = f.Outcome, f.ReleaseToBoard, f.ReleaseConditions
	return nil
}

// vogFields are the sealed parts of a VOG record.
type vogFields struct {
	Status           string  `json:"status"`
	KlaargezetOn     *string `json:"klaargezet_on"`
	RequestedOn      *string `json:"requested_on"`
	IssuedOn         *string `json:"issued_on"`
	ScreeningProfile string  `json:"screening_profile"`
	ValidatedBy      *string `json:"validated_by"`
}

func (s *Store) sealVOG(c *Candidate, v *VOGRecord) error {
	b, err := json.Marshal(vogFields{Status: v.Status, KlaargezetOn: v.KlaargezetOn, RequestedOn: v.RequestedOn, IssuedOn: v.IssuedOn,
		ScreeningProfile: v.ScreeningProfile, ValidatedBy: v.ValidatedBy})
	if err != nil {
		return err
	}
	v.Sealed, err = s.seal(c, b, "vog")
	return err
}

func (s *Store) openVOG(c *Candidate, v *VOGRecord) error {
	if len(v.Sealed) == 0 {
		return nil
	}
	b, err := s.open(c, v.Sealed, "vog")
	if err != nil {
		return err
	}
	var f vogFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	v.Status, v.KlaargezetOn, v.RequestedOn, v.IssuedOn, v.ScreeningProfile, v.ValidatedBy = f.Status, f.KlaargezetOn, f.RequestedOn, f.IssuedOn, f.ScreeningProfile, f.ValidatedBy
	return nil
}

// outboxMail is the sealed part of a dev outbox mail.
type outboxMail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

func (s *Store) outboxCipher(ctx context.Context) (*secure.Cipher, error) {
	key, _, err := s.secret(ctx, secretOutbox)
	if err != nil {
		return nil, err
	}
	return secure.NewCipher(key)
}

// addresses matches e-mail addresses in error texts.
var addresses = regexp.MustCompile(`[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+`)

// scrubAddresses removes e-mail addresses from a text kept in the database
// (SMTP errors name the recipient).
func scrubAddresses(s string) string { return addresses.ReplaceAllString(s, "[adres]") }

// legacyRow is a value waiting in legacy_plain to be sealed (migration 00011).
type legacyRow struct {
	Kind        string
	ID          string
	CandidateID string
	Body        string
}

func (legacyRow) TableName() string { return "legacy_plain" }

// flexBool reads a boolean that SQLite's json_object wrote as 0 or 1.
type flexBool bool

func (b *flexBool) UnmarshalJSON(data []byte) error {
	switch string(data) {
	case "true", "1":
		*b = true
	case "false", "0", "null":
		*b = false
	default:
		return fmt.Errorf("not a boolean: %s", data)
	}
	return nil
}

// SealLegacy seals the plain values that migration 00011 moved out of the
// working tables (a database from before it), with each candidate's data
// key, and empties legacy_plain. It returns how many values it sealed;
// values of candidates that are gone (or whose key is) are dropped. The
// service runs it at start; on SQLite it then rewrites the file (VACUUM) so
// that no freed page keeps the old plain text.
func (s *Store) SealLegacy(ctx context.Context) (int, error) {
	db := s.db.WithContext(ctx)
	n := 0
	for {
		// A page at a time: the data keys in one key-store query, the
		// updates and the removal from legacy_plain in one transaction.
		var rows []legacyRow
		if err := db.Order("candidate_id, kind, id").Limit(500).Find(&rows).Error; err != nil {
			return n, err
		}
		if len(rows) == 0 {
			break
		}
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.CandidateID)
		}
		var cs []Candidate
		if err := db.Select("id", "data_key").Where("id IN ?", ids).Find(&cs).Error; err != nil {
			return n, err
		}
		byID := make(map[string]*Candidate, len(cs))
		ptrs := make([]*Candidate, len(cs))
		for i := range cs {
			byID[cs[i].ID], ptrs[i] = &cs[i], &cs[i]
		}
		if err := s.cipherMany(ctx, ptrs); err != nil {
			return n, err
		}
		err := s.tx(ctx, func(tx *gorm.DB) error {
			for _, r := range rows {
				// A candidate that is gone, or whose key is, leaves nothing
				// to protect: its values are dropped.
				if c := byID[r.CandidateID]; c != nil && c.ci != nil {
					if err := s.sealLegacyRow(ctx, tx, c, r); err != nil {
						return fmt.Errorf("seal %s %s: %w", r.Kind, r.ID, err)
					}
					n++
				}
				if err := tx.Where("kind = ? AND id = ?", r.Kind, r.ID).Delete(&legacyRow{}).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	if n > 0 && s.dialect == SQLite {
		if err := db.Exec("VACUUM").Error; err != nil {
			return n, fmt.Errorf("vacuum after sealing: %w", err)
		}
	}
	return n, nil
}

func (s *Store) sealLegacyRow(ctx context.Context, tx *gorm.DB, c *Candidate, r legacyRow) error {
	switch r.Kind {
	case "candidate":
		var f struct {
			Name  string  `json:"name"`
			Email string  `json:"email"`
			Level *string `json:"level"`
		}
		if err := json.Unmarshal([]byte(r.Body), &f); err != nil {
			return err
		}
		c.Name, c.Email, c.Level = f.Name, f.Email, f.Level
		if err := s.sealCandidate(ctx, c); err != nil {
			return err
		}
		return tx.Model(&Candidate{}).Where("id = ?", c.ID).
			Updates(map[string]any{"name_enc": c.NameEnc, "email_enc": c.EmailEnc, "email_hash": c.EmailHash, "level_enc": c.LevelEnc}).Error
	case "decision":
		var f struct {
			Outcome           string   `json:"outcome"`
			ReleaseToBoard    flexBool `json:"release_to_board"`
			ReleaseConditions flexBool `json:"release_conditions"`
		}
		if err := json.Unmarshal([]byte(r.Body), &f); err != nil {
			return err
		}
		d := Decision{ID: r.ID, Outcome: f.Outcome, ReleaseToBoard: bool(f.ReleaseToBoard), ReleaseConditions: bool(f.ReleaseConditions)}
		if err := s.sealDecision(c, &d); err != nil {
			return err
		}
		return tx.Model(&Decision{}).Where("id = ?", d.ID).UpdateColumn("sealed", d.Sealed).Error
	case "vog":
		var f vogFields
		if err := json.Unmarshal([]byte(r.Body), &f); err != nil {
			return err
		}
		v := VOGRecord{CandidateID: c.ID, Status: f.Status, KlaargezetOn: f.KlaargezetOn, RequestedOn: f.RequestedOn, IssuedOn: f.IssuedOn,
			ScreeningProfile: f.ScreeningProfile, ValidatedBy: f.ValidatedBy}
		if err := s.sealVOG(c, &v); err != nil {
			return err
		}
		return tx.Model(&VOGRecord{}).Where("candidate_id = ?", c.ID).UpdateColumn("sealed", v.Sealed).Error
	}
	return fmt.Errorf("unknown kind %q", r.Kind)
}
