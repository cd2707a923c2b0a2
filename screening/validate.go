package screening

import (
	"errors"
	"fmt"
	"net/mail"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// The one validator of every request, JSON or form: fields are named by
// their JSON names, and each failed tag has one Dutch text.
var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		}
		return name
	})
	// mailbox: an address the mail server will take, written as is.
	_ = v.RegisterValidation("mailbox", func(fl validator.FieldLevel) bool { return ValidEmail(fl.Field().String()) })
	// notblank: required, and more than white space.
	_ = v.RegisterValidation("notblank", func(fl validator.FieldLevel) bool {
		return strings.TrimSpace(fl.Field().String()) != ""
	})
	return v
}()

// ValidEmail tells whether s is one plain address with a domain that has
// a dot (naam@voorbeeld.nl), nothing around it.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, ".")
}

// checker is a request with rules beyond its tags (a field that another
// field requires, a date that may not lie ahead). It runs after the tags
// passed and returns the fields it refuses, with their texts.
type checker interface {
	check(env checkEnv) map[string]string
}

// texter is a request with texts of its own for some failed tags, keyed
// "field" (any tag) or "field.tag".
type texter interface {
	texts() map[string]string
}

// Validate checks a request (a struct or a pointer to one) against its
// validate tags, with the same texts as the use cases; the rules that
// need more than the request (the clock) run in the use case.
func Validate(req any) error { return validateAt(req, nil) }

// validateAt checks the tags and then, with env, the request's own rules;
// the refusal names every bad field.
func validateAt(req any, env *checkEnv) error {
	if err := validate.Struct(req); err != nil {
		var ves validator.ValidationErrors
		if !errors.As(err, &ves) {
			return err
		}
		var own map[string]string
		if t, ok := req.(texter); ok {
			own = t.texts()
		}
		fields := map[string]string{}
		for _, fe := range ves {
			name := fe.Field()
			if fe.Namespace() != "" {
				// A list element (flags[2]) is reported on its list.
				if i := strings.IndexByte(name, '['); i > 0 {
					name = name[:i]
				}
			}
			if _, done := fields[name]; done {
				continue
			}
			switch {
			case own[name+"."+fe.Tag()] != "":
				fields[name] = own[name+"."+fe.Tag()]
			case own[name] != "":
				fields[name] = own[name]
			default:
				fields[name] = fieldMessage(fe)
			}
		}
		return invalid(fields)
	}
	if c, ok := req.(checker); ok && env != nil {
		if bad := c.check(*env); len(bad) > 0 {
			return invalid(bad)
		}
	}
	return nil
}

func fieldMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "notblank":
		return "Vul dit veld in."
	case "email", "mailbox":
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
