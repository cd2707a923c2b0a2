package models

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// The committee's open-source research (openbronnenonderzoek, issue 13
// part 1): a checklist of public sources per candidate, with who checked
// each, when, what was found and an optional finding. Nothing here looks
// anything up: the service never fetches a link, the record is the
// committee's. A finding joins the profile when it is read (screening's
// WithOverlaps), as a flag of domain openbronnen that the committee can put
// to the candidate in a hearing (OpenHearing).

// Source ids of the checklist, in display order.
const (
	SourceKvK         = "kvk"
	SourceKadaster    = "kadaster"
	SourceInsolvency  = "insolventieregister"
	SourceCourts      = "rechtspraak"
	SourceNews        = "nieuws"
	SourceSocial      = "sociale_media"
	SourceSideJobs    = "nevenfunctieregister"
	SourceOwnSearch   = "eigen_zoekopdracht"
	DomainOpenSources = "openbronnen"
	// SourceRulePrefix starts the rule id of a finding's flag: openbron:<check id>.
	SourceRulePrefix = "openbron:"
	// MaxOwnSearches bounds the committee's own searches per file.
	MaxOwnSearches = 20
)

// Sources lists the checklist's sources in display order.
var Sources = []string{SourceKvK, SourceKadaster, SourceInsolvency, SourceCourts, SourceNews, SourceSocial, SourceSideJobs, SourceOwnSearch}

// SourceCheck is one source checked for one candidate. Title (own searches
// only), Result and Finding are sealed with the candidate's data key and
// the row id; CheckedOn is the day the member says they looked, CheckedBy
// and CheckedAt who recorded the last check and when.
type SourceCheck struct {
	ID          string
	CandidateID string
	Source      string
	Title       []byte
	CheckedOn   string
	CheckedBy   string
	CheckedAt   time.Time
	Result      []byte
	Finding     []byte
	CreatedAt   time.Time
}

// SourceFinding is what the committee concluded from a check: a level as
// in the questionnaires (info, oranje, rood, blok), a short finding and
// the question for the interview.
type SourceFinding struct {
	Severity questionnaires.Level `json:"severity"`
	Text     string               `json:"text"`
	Ask      string               `json:"ask"`
}

// sourceResult is the sealed part "what was found".
type sourceResult struct {
	Text string `json:"text"`
	Link string `json:"link,omitempty"`
}

// SourceCheckView is an opened check.
type SourceCheckView struct {
	ID        string         `json:"id"`
	Source    string         `json:"source"`
	Title     string         `json:"title,omitempty"`
	CheckedOn string         `json:"checked_on"`
	CheckedBy string         `json:"checked_by"`
	CheckedAt time.Time      `json:"checked_at"`
	Result    string         `json:"result"`
	Link      string         `json:"link,omitempty"`
	Finding   *SourceFinding `json:"finding"`
	// Rule is the id of the finding's flag in the profile (empty without one).
	Rule string `json:"rule,omitempty"`
}

// SourceCheckInput records a check. ID names an own search to update; a
// fixed source has one row, found by its source.
type SourceCheckInput struct {
	ID, Source, Title, CheckedOn, Result, Link string
	Finding                                    *SourceFinding
}

// RecordSourceCheck records (or records again) a check of one source. It
// reports whether a new row was made.
func (s *Store) RecordSourceCheck(ctx context.Context, actor Actor, c *Candidate, in SourceCheckInput) (*SourceCheckView, bool, error) {
	if !slices.Contains(Sources, in.Source) {
		return nil, false, &ValidationError{Code: "sources", Fields: map[string]string{"source": "unknown"}}
	}
	var row SourceCheck
	created := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
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
		switch cc.Status {
		case StatusWithdrawn, StatusRevoked, StatusExpired:
			return &TransitionError{From: cc.Status, Action: "sources"}
		}
		q := tx.Where("candidate_id = ? AND source = ?", cc.ID, in.Source)
		if in.ID != "" {
			q = q.Where("id = ?", in.ID)
		}
		err = q.Order("created_at, id").Take(&row).Error
		switch {
		case err == nil && in.Source == SourceOwnSearch && in.ID == "":
			// Without an id an own search is a new one.
			created = true
		case err == nil:
		case errors.Is(err, gorm.ErrRecordNotFound) && in.ID != "":
			return &ValidationError{Code: "sources", Fields: map[string]string{"id": "unknown"}}
		case errors.Is(err, gorm.ErrRecordNotFound):
			created = true
		default:
			return err
		}
		now := s.now()
		if created {
			if in.Source == SourceOwnSearch {
				var n int64
				if err := tx.Model(&SourceCheck{}).Where("candidate_id = ? AND source = ?", cc.ID, in.Source).Count(&n).Error; err != nil {
					return err
				}
				if n >= MaxOwnSearches {
					return &ValidationError{Code: "sources", Fields: map[string]string{"source": "too_many"}}
				}
			}
			row = SourceCheck{ID: newID(), CandidateID: cc.ID, Source: in.Source, CreatedAt: now}
		}
		row.CheckedOn, row.CheckedBy, row.CheckedAt = in.CheckedOn, actor.ID, now
		if row.Result, err = s.sealJSON(cc, sourceResult{Text: in.Result, Link: in.Link}, "source.result:"+row.ID); err != nil {
			return err
		}
		row.Title, row.Finding = nil, nil
		if in.Source == SourceOwnSearch {
			if row.Title, err = s.seal(cc, []byte(in.Title), "source.title:"+row.ID); err != nil {
				return err
			}
		}
		if in.Finding != nil {
			if row.Finding, err = s.sealJSON(cc, in.Finding, "source.finding:"+row.ID); err != nil {
				return err
			}
		}
		action := "sources.update"
		if created {
			action = "sources.create"
			err = tx.Create(&row).Error
		} else {
			// Select("*"): a finding taken away must be written as NULL.
			err = tx.Model(&SourceCheck{}).Where("id = ?", row.ID).Select("*").Updates(&row).Error
		}
		if err != nil {
			return notFound(err) // a unique index refusal is a conflict
		}
		return s.audit(tx, cc.PartyID, &cc.ID, actor, action)
	})
	if err != nil {
		return nil, false, err
	}
	v, err := s.openSourceCheck(c, &row)
	return v, created, err
}

// SourceChecks opens a candidate's checks in checklist order, own searches
// oldest first (the caller audits the read).
func (s *Store) SourceChecks(ctx context.Context, c *Candidate) ([]SourceCheckView, error) {
	var rows []SourceCheck
	if err := s.db.WithContext(ctx).Where("candidate_id = ?", c.ID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	slices.SortStableFunc(rows, func(a, b SourceCheck) int {
		return slices.Index(Sources, a.Source) - slices.Index(Sources, b.Source)
	})
	out := make([]SourceCheckView, 0, len(rows))
	for i := range rows {
		v, err := s.openSourceCheck(c, &rows[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// SourcesChecked counts the sources of the checklist with at least one
// check (no content is opened: the file page shows "3 van 8").
func (s *Store) SourcesChecked(ctx context.Context, candidateID string) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&SourceCheck{}).Where("candidate_id = ?", candidateID).Distinct("source").Count(&n).Error
	return int(n), err
}

// SourceFlags are the findings as profile flags of domain openbronnen,
// marked as the committee's own (never an answer of the candidate). Why is
// left to the application layer, which words it.
func (s *Store) SourceFlags(ctx context.Context, c *Candidate) ([]questionnaires.Flag, []SourceCheckView, error) {
	cs, err := s.SourceChecks(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	var flags []questionnaires.Flag
	var behind []SourceCheckView
	for _, v := range cs {
		if v.Finding == nil {
			continue
		}
		flags = append(flags, questionnaires.Flag{Rule: v.Rule, Domain: DomainOpenSources, Severity: v.Finding.Severity,
			Finding: v.Finding.Text, Ask: v.Finding.Ask, Questions: []string{}, Source: questionnaires.SourceCommittee})
		behind = append(behind, v)
	}
	return flags, behind, nil
}

func (s *Store) openSourceCheck(c *Candidate, r *SourceCheck) (*SourceCheckView, error) {
	v := &SourceCheckView{ID: r.ID, Source: r.Source, CheckedOn: r.CheckedOn, CheckedBy: r.CheckedBy, CheckedAt: r.CheckedAt}
	var res sourceResult
	if err := s.openJSON(c, r.Result, "source.result:"+r.ID, &res); err != nil {
		return nil, err
	}
	v.Result, v.Link = res.Text, res.Link
	if len(r.Title) > 0 {
		b, err := s.open(c, r.Title, "source.title:"+r.ID)
		if err != nil {
			return nil, err
		}
		v.Title = string(b)
	}
	if len(r.Finding) > 0 {
		var f SourceFinding
		if err := s.openJSON(c, r.Finding, "source.finding:"+r.ID, &f); err != nil {
			return nil, err
		}
		v.Finding, v.Rule = &f, SourceRulePrefix+r.ID
	}
	return v, nil
}

func (s *Store) sealJSON(c *Candidate, v any, aad string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return s.seal(c, b, aad)
}

func (s *Store) openJSON(c *Candidate, ct []byte, aad string, v any) error {
	b, err := s.open(c, ct, aad)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
