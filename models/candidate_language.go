package models

import (
	"context"
	"slices"

	"github.com/weerbaar/weerbaar/i18n"
)

// The language a candidate reads its pages and mails in (issue 14,
// migration 00020): "nl" or "en". The committee and the board read Dutch
// whatever the candidate chose, and the compiled profile never depends on
// it. The mails read the candidate's row at send time, so a change counts
// for the next mail, also one already queued.

// DefaultLanguage is the language of a candidate who did not choose.
const DefaultLanguage = i18n.NL

// checkLanguage refuses a language the service has no texts for.
func checkLanguage(lang string) error {
	if !slices.Contains(i18n.Languages, lang) {
		return &ValidationError{Code: "language", Fields: map[string]string{"language": "unknown"}}
	}
	return nil
}

// CandidateLanguage is the language of the candidate's pages and mails
// ("nl" for a row that holds none).
func CandidateLanguage(c *Candidate) string {
	if c == nil || c.Language == "" {
		return DefaultLanguage
	}
	return i18n.Normalize(c.Language)
}

// SetCandidateLanguage stores the candidate's own choice of language and
// returns the candidate as it is now. It is a preference, not a step in
// the file: any status, no audit entry, the file's revision and profile
// stay as they are.
func (s *Store) SetCandidateLanguage(ctx context.Context, candidateID, lang string) (*Candidate, error) {
	if err := checkLanguage(lang); err != nil {
		return nil, err
	}
	res := s.db.WithContext(ctx).Model(&Candidate{}).Where("id = ?", candidateID).
		Updates(map[string]any{"language": lang, "updated_at": s.now()})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return s.Candidate(ctx, candidateID)
}
