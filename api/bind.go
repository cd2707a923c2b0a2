package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
)

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

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
	if err := h.validate.Struct(dst); err != nil {
		var ves validator.ValidationErrors
		if !errors.As(err, &ves) {
			return err
		}
		fields := map[string]string{}
		for _, fe := range ves {
			fields[fe.Field()] = fieldMessage(fe)
		}
		return &Error{Status: fiber.StatusUnprocessableEntity, Code: "validatie", Message: "Niet alle velden zijn geldig.", Fields: fields}
	}
	return nil
}

func fieldMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "Vul dit veld in."
	case "email":
		return "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
	case "oneof":
		return "Kies een van: " + strings.ReplaceAll(fe.Param(), " ", ", ") + "."
	case "max", "min":
		bound := "ten hoogste"
		if fe.Tag() == "min" {
			bound = "ten minste"
		}
		switch fe.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
			return fmt.Sprintf("Vul een getal in van %s %s.", bound, fe.Param())
		case reflect.Slice, reflect.Array, reflect.Map:
			return fmt.Sprintf("Kies er %s %s.", bound, fe.Param())
		}
		return fmt.Sprintf("Gebruik %s %s tekens.", bound, fe.Param())
	case "datetime":
		return "Vul een datum in als JJJJ-MM-DD."
	}
	return "Deze waarde is niet geldig."
}
