package screening

import (
	"errors"
	"sort"
	"strings"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// Kind sorts refusals for the adapters: the API turns a kind into an HTTP
// status, the pages into a form error or an error page.
type Kind int

const (
	Invalid      Kind = iota + 1 // 422: the request's fields
	Conflict                     // 409: not possible in the file's state
	NotFound                     // 404 (also "not yours": never say which)
	Gone                         // 410: a link that worked once
	Unauthorized                 // 401
	Forbidden                    // 403: the role may not even ask
)

// Error is a refusal with the Dutch text users read. Code is the API's
// error code; Fields maps request field names (the JSON names) to texts.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// FieldNames is the error's fields, sorted (pages list them in this order).
func (e *Error) FieldNames() []string {
	out := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func invalid(fields map[string]string) *Error {
	return &Error{Kind: Invalid, Code: "validatie", Message: msgInvalid, Fields: fields}
}

// fieldErr refuses one field.
func fieldErr(field, msg string) *Error { return invalid(map[string]string{field: msg}) }

// Explain turns an error of a use case (or of the Store below it) into the
// refusal users read; ok is false for errors that are not refusals (a
// failing database): those are the server's fault.
func Explain(err error) (e *Error, ok bool) {
	if err == nil {
		return nil, false
	}
	var se *Error
	var ve *models.ValidationError
	var ia questionnaires.InvalidAnswers
	var te *models.TransitionError
	var re *models.ReviewError
	var vs *models.VOGStepError
	switch {
	case errors.As(err, &se):
		return se, true
	case errors.As(err, &re):
		return &Error{Kind: Conflict, Code: re.Code, Message: refusalText(re)}, true
	case errors.As(err, &vs):
		return &Error{Kind: Conflict, Code: "vog_stap", Message: "De VOG-status kan niet van " + vs.From + " naar " + vs.To +
			" gaan. Mogelijk vanaf " + vs.From + ": " + strings.Join(models.VOGNext(vs.From), ", ") + "."}, true
	case errors.As(err, &ia):
		return &Error{Kind: Invalid, Code: "validatie", Message: msgInvalidAnswers, Fields: map[string]string(ia)}, true
	case errors.As(err, &ve):
		return validationText(ve), true
	case errors.As(err, &te):
		return &Error{Kind: Conflict, Code: "ongeldige_stap", Message: transitionText(te)}, true
	case errors.Is(err, models.ErrNotFound):
		return ErrNotFound, true
	case errors.Is(err, models.ErrDuplicate):
		return &Error{Kind: Conflict, Code: "bestaat_al", Message: "Dit bestaat al."}, true
	case errors.Is(err, models.ErrGone):
		return &Error{Kind: Gone, Code: "verlopen", Message: msgGone}, true
	case errors.Is(err, models.ErrConsent):
		return &Error{Kind: Conflict, Code: "toestemming_nodig", Message: "Lees eerst de privacyverklaring en geef toestemming."}, true
	case errors.Is(err, models.ErrSecondFactor):
		return &Error{Kind: Unauthorized, Code: "tweestaps_code_onjuist", Message: "De code klopt niet. Gebruik de code uit uw app, of een van uw herstelcodes."}, true
	case errors.Is(err, models.ErrBadCredentials):
		return &Error{Kind: Unauthorized, Code: "onjuiste_inlog", Message: "Het e-mailadres of het wachtwoord klopt niet."}, true
	}
	return nil, false
}

// ErrNotFound is what anyone who may not know that something exists hears.
var ErrNotFound = &Error{Kind: NotFound, Code: "niet_gevonden", Message: "Dit bestaat niet of u hebt er geen toegang toe."}

// ErrNoAnswers: the file has no submitted answers (yet) for the committee.
var ErrNoAnswers = &Error{Kind: NotFound, Code: "geen_antwoorden", Message: "Er zijn nog geen ingediende antwoorden. U ziet de antwoorden zodra de kandidaat de scan heeft ingediend."}
