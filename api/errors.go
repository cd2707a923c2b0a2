package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/screening"
)

// Error is a handler error with its HTTP status and a Dutch message.
type Error struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func newErr(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

// Common errors.
var (
	errUnauthenticated = newErr(fiber.StatusUnauthorized, "niet_ingelogd", "Log eerst in.")
	errForbidden       = newErr(fiber.StatusForbidden, "geen_toegang", "Uw rol geeft geen toegang tot deze handeling.")
	errNotFound        = newErr(fiber.StatusNotFound, "niet_gevonden", "Dit bestaat niet of u hebt er geen toegang toe.")
	errCSRF            = newErr(fiber.StatusForbidden, "csrf", "De beveiligingscode van het formulier ontbreekt of klopt niet. Laad de pagina opnieuw.")
	errBadJSON         = newErr(fiber.StatusBadRequest, "ongeldige_json", "De gegevens zijn geen geldige JSON.")
)

// ToError maps any error to the API's typed error.
func ToError(err error) *Error { return toAPIError(err) }

// HTMLErrors renders errors of page requests (everything outside /api/).
type HTMLErrors func(c *fiber.Ctx, e *Error) error

// errorHandler is the single error path: typed errors become status + JSON
// (or an HTML page for page requests), 5xx are logged (never with bodies).
func errorHandler(log *slog.Logger, h *Handler) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		e := toAPIError(err)
		if e.Status >= 500 {
			log.Error("request failed", "method", c.Method(), "route", c.Route().Path, "status", e.Status, "error", err.Error())
		}
		if h.htmlErrors != nil && !jsonErrors(c.Path()) {
			return h.htmlErrors(c, e)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		b, _ := json.Marshal(map[string]*Error{"error": e})
		return c.Status(e.Status).Send(b)
	}
}

// jsonErrors tells whether errors on path are answered in JSON (APIs and
// machine endpoints) rather than as an HTML page.
func jsonErrors(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	for _, prefix := range []string{"/api/", "/dev/", QueueMonitorPath + "/api/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

func toAPIError(err error) *Error {
	var ae *Error
	var fe *fiber.Error
	if errors.As(err, &ae) {
		return ae
	}
	if se, ok := screening.Explain(err); ok {
		return &Error{Status: kindStatus[se.Kind], Code: se.Code, Message: se.Message, Fields: se.Fields}
	}
	switch {
	case errors.As(err, &fe):
		switch fe.Code {
		case fiber.StatusRequestEntityTooLarge:
			return newErr(fe.Code, "te_groot", "De gegevens zijn te groot.")
		case fiber.StatusNotFound:
			return errNotFound
		case fiber.StatusMethodNotAllowed:
			return newErr(fe.Code, "methode_niet_toegestaan", "Deze methode is hier niet toegestaan.")
		case fiber.StatusTooManyRequests:
			return newErr(fe.Code, "te_veel_verzoeken", "Te veel pogingen. Wacht even en probeer het opnieuw.")
		case fiber.StatusBadRequest:
			return errBadJSON
		}
		if fe.Code >= 500 {
			return newErr(fe.Code, "serverfout", "Er ging iets mis aan onze kant. Probeer het later opnieuw.")
		}
		return newErr(fe.Code, "fout", fe.Message)
	default:
		return newErr(fiber.StatusInternalServerError, "serverfout", "Er ging iets mis aan onze kant. Probeer het later opnieuw.")
	}
}

// kindStatus is the HTTP status of each kind of refusal.
var kindStatus = map[screening.Kind]int{
	screening.Invalid:      fiber.StatusUnprocessableEntity,
	screening.Conflict:     fiber.StatusConflict,
	screening.NotFound:     fiber.StatusNotFound,
	screening.Gone:         fiber.StatusGone,
	screening.Unauthorized: fiber.StatusUnauthorized,
	screening.Forbidden:    fiber.StatusForbidden,
}
