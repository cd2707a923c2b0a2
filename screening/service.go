// Package screening is the application layer: one method per use case of
// the weerbaarheidsscan (docs/architecture.md §2). Each takes a typed
// request, validates it with the one validator (validate.go), and runs its
// Store transition, which writes the follow-up tasks (mails, compiles) to
// the outbox in the same transaction. The JSON API (api) and the pages
// (api/web) are adapters over these methods: they decode input, call the
// use case, and render what it returns. Authorization happens before, in
// the adapters' route guard; a use case trusts the actor it is given.
package screening

import (
	"time"

	"github.com/weerbaar/weerbaar/models"
)

// Service holds the use cases' dependencies.
type Service struct {
	store *models.Store
}

// New wires the use cases to a Store.
func New(store *models.Store) *Service { return &Service{store: store} }

// checkEnv is what request rules may depend on beyond the request.
type checkEnv struct {
	Now time.Time
}

// check validates a request for a use case now.
func (s *Service) check(req any) error { return validateAt(req, &checkEnv{Now: s.store.Now()}) }

// Check validates a request as its use case will, without doing it: a
// page that found errors of its own (a date it could not read) shows
// these beside them, all at once.
func (s *Service) Check(req any) error { return s.check(req) }
