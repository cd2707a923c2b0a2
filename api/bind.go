package api

import (
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/screening"
)

// bind decodes a JSON body into dst and validates it: malformed JSON → 400,
// invalid fields → 422 with a Dutch message per field.
func (h *Handler) bind(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(body) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &Error{Status: fiber.StatusUnprocessableEntity, Code: "validatie", Message: "Niet alle velden zijn geldig.",
				Fields: map[string]string{te.Field: "Dit veld heeft een verkeerd type."}}
		}
		return errBadJSON
	}
	// The use cases validate their requests again (the pages reach them
	// without bind); validating here too refuses a bad body before any
	// work, with the same texts.
	return screening.Validate(dst)
}
