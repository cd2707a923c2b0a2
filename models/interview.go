package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// The interview record (gespreksverslag, issue 13): per flag of the current
// profile one resolution with a note and, for an agreed measure, the
// measure; and when the interview was held and who attended. Everything is
// sealed with the candidate's data key. Which flags exist (the stored
// profile plus the overlaps a viewer may see, later the open-source
// findings) is the application layer's to say; the Store checks the ids it
// is given under the candidate's lock.

// Resolution values.
const (
	ResolutionExplained = "afdoende_toegelicht"
	ResolutionMeasure   = "maatregel_afgesproken"
	ResolutionConcern   = "zorg_blijft"
)

// Resolutions lists the resolution values in the order the pages show them.
var Resolutions = []string{ResolutionExplained, ResolutionMeasure, ResolutionConcern}

// Interview refusals.
var (
	// ErrInterviewClosed: the record is kept while the file is profiled
	// (before the advice); earlier there are no flags, later the advice
	// stands on what was recorded.
	ErrInterviewClosed = &ReviewError{"gesprek_gesloten"}
	// ErrProfileChanged: the profile was compiled again since the flags
	// were read (a VOG change): the resolutions may name flags that moved.
	ErrProfileChanged = &ReviewError{"profiel_gewijzigd"}
)

// FlagResolution is one flag's current resolution (sealed columns).
type FlagResolution struct {
	ID          string
	CandidateID string
	Rule        []byte
	Resolution  []byte
	Note        []byte
	Measure     []byte
	RecordedBy  string
	RecordedAt  time.Time
}

// Interview is when the interview was held and who attended (sealed).
type Interview struct {
	CandidateID string `gorm:"primaryKey"`
	HeldOn      []byte
	Attendees   []byte
	UpdatedBy   string
	UpdatedAt   time.Time
}

// ResolutionInput is one flag's resolution as recorded.
type ResolutionInput struct {
	Rule, Resolution, Note, Measure string
}

// InterviewInput is a save of the interview record. HeldOn is YYYY-MM-DD
// or "" (not known); Resolutions are recorded per flag (flags not listed
// keep theirs). Flags are the ids of the flags the recorder sees, read
// from the profile of ProfileRevision.
type InterviewInput struct {
	HeldOn, Attendees string
	Resolutions       []ResolutionInput
	Flags             []string
	ProfileRevision   int
}

// ResolutionView is a decrypted resolution.
type ResolutionView struct {
	Rule       string    `json:"rule"`
	Resolution string    `json:"resolution"`
	Note       string    `json:"note"`
	Measure    string    `json:"measure,omitempty"`
	RecordedBy string    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// InterviewView is the decrypted record.
type InterviewView struct {
	HeldOn      string
	Attendees   string
	UpdatedBy   string
	UpdatedAt   *time.Time
	Resolutions map[string]ResolutionView // by flag id
}

// Interview decrypts a candidate's interview record (the caller audits the
// read). A file without one gives an empty record.
func (s *Store) Interview(ctx context.Context, c *Candidate) (*InterviewView, error) {
	return s.interview(s.db.WithContext(ctx), c)
}

func (s *Store) interview(tx *gorm.DB, c *Candidate) (*InterviewView, error) {
	out := &InterviewView{Resolutions: map[string]ResolutionView{}}
	var iv Interview
	err := tx.Take(&iv, "candidate_id = ?", c.ID).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
	case err != nil:
		return nil, err
	default:
		if out.HeldOn, err = s.openText(c, iv.HeldOn, "interview.held_on"); err != nil {
			return nil, err
		}
		if out.Attendees, err = s.openText(c, iv.Attendees, "interview.attendees"); err != nil {
			return nil, err
		}
		out.UpdatedBy, out.UpdatedAt = iv.UpdatedBy, &iv.UpdatedAt
	}
	rows, err := s.resolutionRows(tx, c)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out.Resolutions[r.view.Rule] = r.view
	}
	return out, nil
}

type resolutionRow struct {
	id   string
	view ResolutionView
}

func (s *Store) resolutionRows(tx *gorm.DB, c *Candidate) ([]resolutionRow, error) {
	var rs []FlagResolution
	if err := tx.Where("candidate_id = ?", c.ID).Order("recorded_at, id").Find(&rs).Error; err != nil {
		return nil, err
	}
	out := make([]resolutionRow, 0, len(rs))
	for _, r := range rs {
		v := ResolutionView{RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
		var err error
		if v.Rule, err = s.openText(c, r.Rule, "resolution.rule"); err != nil {
			return nil, err
		}
		if v.Resolution, err = s.openText(c, r.Resolution, "resolution.value"); err != nil {
			return nil, err
		}
		if v.Note, err = s.openText(c, r.Note, "resolution.note"); err != nil {
			return nil, err
		}
		if v.Measure, err = s.openText(c, r.Measure, "resolution.measure"); err != nil {
			return nil, err
		}
		out = append(out, resolutionRow{id: r.ID, view: v})
	}
	return out, nil
}

// openText opens a sealed text; an empty column is "".
func (s *Store) openText(c *Candidate, b []byte, purpose string) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	p, err := s.open(c, b, purpose)
	return string(p), err
}

// sealText seals a text; "" stays empty (nil) where the column allows it.
func (s *Store) sealText(c *Candidate, v, purpose string, keepEmpty bool) ([]byte, error) {
	if v == "" && !keepEmpty {
		return nil, nil
	}
	return s.seal(c, []byte(v), purpose)
}

// SaveInterview records the interview: its date and attendees, and each
// listed flag's resolution (a flag recorded before is updated, and keeps
// who recorded it and when if nothing changed). One audit event per save.
func (s *Store) SaveInterview(ctx context.Context, actor Actor, c *Candidate, in InterviewInput) error {
	known := make(map[string]bool, len(in.Flags))
	for _, f := range in.Flags {
		known[f] = true
	}
	var unknown []string
	for _, r := range in.Resolutions {
		if !known[r.Rule] {
			unknown = append(unknown, r.Rule)
		}
	}
	if len(unknown) > 0 {
		return &ValidationError{Code: "flags", Fields: map[string]string{"resolutions": "unknown"}, Params: unknown}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if err := s.opened(cc, c); err != nil {
			return err
		}
		if err := notRecused(tx, cc.ID, actor); err != nil {
			return err
		}
		if cc.Status != StatusProfiled {
			return ErrInterviewClosed
		}
		if cc.ProfileRevision != in.ProfileRevision {
			return ErrProfileChanged
		}
		now := s.now()
		// The date and attendees.
		heldOn, err := s.sealText(cc, in.HeldOn, "interview.held_on", false)
		if err != nil {
			return err
		}
		attendees, err := s.sealText(cc, in.Attendees, "interview.attendees", false)
		if err != nil {
			return err
		}
		iv := Interview{CandidateID: cc.ID, HeldOn: heldOn, Attendees: attendees, UpdatedBy: actor.ID, UpdatedAt: now}
		if err := tx.Save(&iv).Error; err != nil {
			return err
		}
		// The resolutions, found by their (sealed) flag id under the lock.
		rows, err := s.resolutionRows(tx, cc)
		if err != nil {
			return err
		}
		byRule := make(map[string]resolutionRow, len(rows))
		for _, r := range rows {
			byRule[r.view.Rule] = r
		}
		for _, r := range in.Resolutions {
			old, exists := byRule[r.Rule]
			if exists && old.view.Resolution == r.Resolution && old.view.Note == r.Note && old.view.Measure == r.Measure {
				continue // unchanged: keeps who recorded it and when
			}
			fr := FlagResolution{ID: newID(), CandidateID: cc.ID, RecordedBy: actor.ID, RecordedAt: now}
			if exists {
				fr.ID = old.id
			}
			if fr.Rule, err = s.sealText(cc, r.Rule, "resolution.rule", true); err != nil {
				return err
			}
			if fr.Resolution, err = s.sealText(cc, r.Resolution, "resolution.value", true); err != nil {
				return err
			}
			if fr.Note, err = s.sealText(cc, r.Note, "resolution.note", true); err != nil {
				return err
			}
			if fr.Measure, err = s.sealText(cc, r.Measure, "resolution.measure", false); err != nil {
				return err
			}
			if err := tx.Save(&fr).Error; err != nil {
				return err
			}
			byRule[r.Rule] = resolutionRow{id: fr.ID, view: ResolutionView{Rule: r.Rule}}
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, "interview.update")
	})
}
