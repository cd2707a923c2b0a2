package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/screening"
)

// formErrors turns a use case's refusal into the form's errors: each
// refused request field (its JSON name) onto its input's id in fieldIDs,
// or onto field; a refusal without fields onto field. ok is false for
// errors that are not a form's to show (not found, gone, a server fault):
// those go to the error page.
func formErrors(err error, field string, fieldIDs map[string]string) ([]FieldError, int, bool) {
	e, ok := screening.Explain(err)
	if !ok {
		return nil, 0, false
	}
	status := fiber.StatusUnprocessableEntity
	switch e.Kind {
	case screening.Invalid:
	case screening.Conflict:
		status = fiber.StatusConflict
	default:
		return nil, 0, false
	}
	var errs []FieldError
	for _, f := range e.FieldNames() {
		id := fieldIDs[f]
		if id == "" {
			id = field
		}
		errs = append(errs, FieldError{id, e.Fields[f]})
	}
	if len(errs) == 0 {
		errs = []FieldError{{field, e.Message}}
	}
	return errs, status, true
}

// checkErrors is formErrors of a use case's check, for a page that has
// errors of its own to show beside them.
func checkErrors(err error, fieldIDs map[string]string) []FieldError {
	errs, _, _ := formErrors(err, "", fieldIDs)
	return errs
}
