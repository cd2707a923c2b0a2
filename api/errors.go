package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
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
	var ve *models.ValidationError
	var te *models.TransitionError
	var re *models.ReviewError
	var vs *models.VOGStepError
	switch {
	case errors.As(err, &re):
		return &Error{Status: fiber.StatusConflict, Code: re.Code, Message: re.Message}
	case errors.As(err, &vs):
		return &Error{Status: fiber.StatusConflict, Code: "vog_stap", Message: "De VOG-status kan niet van " + vs.From + " naar " + vs.To + " gaan. Mogelijk vanaf " + vs.From + ": " + strings.Join(models.VOGNext(vs.From), ", ") + "."}
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &ve):
		return &Error{Status: fiber.StatusUnprocessableEntity, Code: "validatie", Message: ve.Message, Fields: ve.Fields}
	case errors.As(err, &te):
		return &Error{Status: fiber.StatusConflict, Code: "ongeldige_stap", Message: transitionMessage(te)}
	case errors.Is(err, models.ErrNotFound):
		return errNotFound
	case errors.Is(err, models.ErrDuplicate):
		return newErr(fiber.StatusConflict, "bestaat_al", "Dit bestaat al.")
	case errors.Is(err, models.ErrGone):
		return newErr(fiber.StatusGone, "verlopen", "Deze link werkt niet meer: hij is verlopen of ingetrokken, of u hebt de scan al ingediend. Hebt u de scan ingediend? Vraag dan een nieuwe link aan op de pagina „Nieuwe link aanvragen” (/link-aanvragen). Anders kunt u het partijbestuur om een nieuwe uitnodiging vragen.")
	case errors.Is(err, models.ErrConsent):
		return newErr(fiber.StatusConflict, "toestemming_nodig", "Lees eerst de privacyverklaring en geef toestemming.")
	case errors.Is(err, models.ErrSecondFactor):
		return newErr(fiber.StatusUnauthorized, "tweestaps_code_onjuist", "De code klopt niet. Gebruik de code uit uw app, of een van uw herstelcodes.")
	case errors.Is(err, models.ErrBadCredentials):
		return newErr(fiber.StatusUnauthorized, "onjuiste_inlog", "Het e-mailadres of het wachtwoord klopt niet.")
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

func transitionMessage(te *models.TransitionError) string {
	switch te.Action {
	case models.ActSubmit:
		return "De scan kan nu niet worden ingediend (status: " + string(te.From) + ")."
	case models.ActAnswer:
		return "Antwoorden kunnen nu niet meer worden gewijzigd (status: " + string(te.From) + ")."
	case models.ActDecide:
		return "Een advies kan pas worden vastgelegd als het profiel klaar is (status: " + string(te.From) + ")."
	}
	return "Deze stap is niet mogelijk in de huidige status (" + string(te.From) + ")."
}
