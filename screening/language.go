package screening

import (
	"context"

	"github.com/weerbaar/weerbaar/models"
)

// The candidate's choice of language (issue 14): it sets the language of
// the candidate's pages and mails, never that of the profile, which the
// committee reads in Dutch.

// languageText is the refusal of an unknown language, in both languages:
// the reader chose neither yet.
const languageText = "Kies een taal: nl (Nederlands) of en (English)."

// LanguageRequest is the candidate's choice.
type LanguageRequest struct {
	Language string `json:"language" validate:"required,oneof=nl en"`
}

func (LanguageRequest) texts() map[string]string {
	return map[string]string{"language": languageText}
}

// ChooseLanguage stores the candidate's language and returns the
// candidate as it is now.
func (s *Service) ChooseLanguage(ctx context.Context, k *models.Candidate, req LanguageRequest) (*models.Candidate, error) {
	if err := s.check(req); err != nil {
		return nil, err
	}
	return s.store.SetCandidateLanguage(ctx, k.ID, req.Language)
}
