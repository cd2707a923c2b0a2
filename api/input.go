package api

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// Control characters (a NUL above all) cannot be stored by PostgreSQL and
// break the SQLite graph renderer, and no person types them: one check in
// front of every route refuses them, so no handler, page or store function
// has to remember it. Tab, newline and carriage return stay allowed (long
// answers have lines). The Unicode direction embeddings, overrides and
// isolates (U+202A–U+202E, U+2066–U+2069) are refused too: invisible, they
// turn the text after them around, so that a name reads as another one on
// a page or in a notice. Right-to-left text itself and the plain marks
// (U+200E, U+200F) stay allowed.
func controlRune(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// cleanText reports whether s is valid UTF-8 without control characters.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, controlRune) < 0
}

var errControlPath = errNotFound

func controlError(fields []string) *Error {
	sort.Strings(fields)
	f := map[string]string{}
	for _, name := range fields {
		f[name] = "Dit veld bevat een onzichtbaar stuurteken of een ongeldig teken. Haal het weg (typ de tekst opnieuw in plaats van hem te plakken) en probeer het opnieuw."
	}
	return &Error{Status: fiber.StatusUnprocessableEntity, Code: "validatie",
		Message: "Uw invoer bevat een onzichtbaar stuurteken of een ongeldig teken. Er is niets opgeslagen; wat u eerder opsloeg, blijft bewaard.", Fields: f}
}

// refuseControlChars answers 404 for a path and 422 for a query or body
// that carries a control character or invalid UTF-8, before any handler
// runs (so nothing is written).
func refuseControlChars(c *fiber.Ctx) error {
	if !cleanText(string(c.Request().URI().PathOriginal())) || !cleanText(c.Path()) {
		return errControlPath
	}
	var bad []string
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		if !cleanText(string(k)) || !cleanText(string(v)) {
			bad = append(bad, string(k))
		}
	})
	if len(bad) > 0 {
		return controlError(bad)
	}
	body := c.Body()
	if len(body) == 0 {
		return c.Next()
	}
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	switch {
	case strings.HasPrefix(ct, fiber.MIMEApplicationForm):
		c.Request().PostArgs().VisitAll(func(k, v []byte) {
			if !cleanText(string(k)) || !cleanText(string(v)) {
				bad = append(bad, string(k))
			}
		})
	case strings.HasPrefix(ct, fiber.MIMEMultipartForm):
		if form, err := c.MultipartForm(); err == nil {
			for k, vs := range form.Value {
				for _, v := range vs {
					if !cleanText(k) || !cleanText(v) {
						bad = append(bad, k)
					}
				}
			}
		}
	default:
		bad = jsonControlFields(body)
	}
	if len(bad) > 0 {
		return controlError(bad)
	}
	return c.Next()
}

// jsonControlFields names the fields of a JSON body whose keys or string
// values hold a control character. Raw control bytes are invalid JSON (the
// handler's 400), and the decoder turns invalid UTF-8 into U+FFFD, so only
// escapes (\u0000) and raw C1/DEL characters or direction controls can
// smuggle one in: bodies without either (nearly all) are not decoded twice.
func jsonControlFields(body []byte) []string {
	if !bytes.Contains(body, []byte(`\u`)) && !bytes.ContainsAny(body, "\x7f\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil // the handler answers 400
	}
	seen := map[string]bool{}
	walkJSON(v, "body", 0, func(field string) { seen[field] = true })
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	return out
}

// walkJSON calls bad with the field of every key or string value that
// holds a control character: the top-level key, or for an answers body
// the question id ("N1"), as the autosave contract names fields.
func walkJSON(v any, field string, depth int, bad func(string)) {
	switch x := v.(type) {
	case string:
		if !cleanText(x) {
			bad(field)
		}
	case []any:
		for _, e := range x {
			walkJSON(e, field, depth, bad)
		}
	case map[string]any:
		for k, e := range x {
			child := field
			if depth == 0 || (depth == 1 && field == "answers") {
				child = k
			}
			if !cleanText(k) {
				bad(field)
				continue
			}
			walkJSON(e, child, depth+1, bad)
		}
	}
}
