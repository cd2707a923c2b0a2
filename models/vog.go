package models

import "slices"

// vogTransitions are the VOG status changes that follow Justis' process: a
// request is set ready (klaargezet) by the party, completed by the candidate
// (aangevraagd), and ends issued, refused (after an intention to refuse that
// the candidate may answer) or withdrawn. A new request can start after an
// end state (e.g. a VOG that has become too old). Staying in the same status
// (to correct dates) is always allowed.
var vogTransitions = map[string][]string{
	"niet_gevraagd":           {"klaargezet", "aangevraagd"},
	"klaargezet":              {"aangevraagd", "ingetrokken", "niet_gevraagd"},
	"aangevraagd":             {"afgegeven", "voornemen_tot_weigering", "ingetrokken"},
	"voornemen_tot_weigering": {"afgegeven", "geweigerd", "ingetrokken"},
	"afgegeven":               {"klaargezet", "ingetrokken"},
	"geweigerd":               {"klaargezet"},
	"ingetrokken":             {"klaargezet", "aangevraagd"},
}

// VOGStepAllowed reports whether the VOG may go from one status to another.
func VOGStepAllowed(from, to string) bool {
	if from == to {
		return true
	}
	return slices.Contains(vogTransitions[from], to)
}

// VOGNext lists the statuses reachable from a status (for UIs).
func VOGNext(from string) []string { return vogTransitions[from] }

// VOGStepError is an illegal VOG status change (409).
type VOGStepError struct{ From, To string }

func (e *VOGStepError) Error() string { return "vog: " + e.From + " → " + e.To + " not allowed" }
