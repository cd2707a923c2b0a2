package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"
)

// QueueMonitorPath is where asynqmon, the task queue monitor, is mounted
// for the platform admin: its web UI, and its JSON API under /api.
const QueueMonitorPath = "/admin/asynq"

// asynqmon's HTTP client (axios) copies the XSRF-TOKEN cookie into the
// X-XSRF-TOKEN header on same-origin requests: the monitor's writes carry
// our CSRF token that way.
const (
	xsrfCookie = "XSRF-TOKEN"
	xsrfHeader = "X-XSRF-TOKEN"
)

var errQueueMonitorReadOnly = newErr(fiber.StatusMethodNotAllowed, "alleen_bekijken",
	"Hier kunt u de wachtrijen alleen bekijken. Alleen gearchiveerde taken kunt u opnieuw laten uitvoeren of verwijderen.")

// NewQueueMonitor builds asynqmon on the Redis connection the queue uses.
// Close it with the system.
//
// It is not asynqmon's ReadOnly mode: a task that failed for good is
// archived, and its TaskID keeps the outbox relay from queueing the same
// work again (its outbox row stays until the work is done), so the admin
// may run an archived task again (after fixing the cause) or delete it (the
// relay then queues it anew). The route
// handler refuses every other change (pausing or deleting queues,
// cancelling, deleting or archiving live tasks).
func NewQueueMonitor(redis asynq.RedisConnOpt) *asynqmon.HTTPHandler {
	return asynqmon.New(asynqmon.Options{
		RootPath:         QueueMonitorPath,
		RedisConnOpt:     redis,
		PayloadFormatter: asynqmon.PayloadFormatterFunc(payloadIDs),
		ResultFormatter:  asynqmon.ResultFormatterFunc(hiddenResult),
	})
}

// idValue is what an id looks like (UUIDs, delivery keys).
var idValue = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,80}$`)

// payloadIDs shows only the ids in a task payload (keys "id" and "…_id"
// with an id-shaped string value). Payloads hold nothing else of interest,
// but the monitor must never show more than that, whatever a task carries.
func payloadIDs(_ string, payload []byte) string {
	if len(payload) == 0 {
		return ""
	}
	var m map[string]any
	if err := json.Unmarshal(payload, &m); err != nil {
		return fmt.Sprintf("(%d bytes, niet getoond)", len(payload))
	}
	keys := make([]string, 0, len(m))
	for k, v := range m {
		s, ok := v.(string)
		if (k == "id" || strings.HasSuffix(k, "_id")) && ok && idValue.MatchString(s) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k].(string)
	}
	out := strings.Join(parts, " ")
	if hidden := len(m) - len(keys); hidden > 0 {
		out = strings.TrimSpace(out + fmt.Sprintf(" (+%d velden niet getoond)", hidden))
	}
	return out
}

// hiddenResult never shows a task's result.
func hiddenResult(_ string, result []byte) string {
	if len(result) == 0 {
		return ""
	}
	return fmt.Sprintf("(%d bytes, niet getoond)", len(result))
}

// archivedTaskWrite is the one kind of change the admin may make through
// the monitor: run or delete archived tasks (one, a batch, or all).
// Task ids contain colons ("profile:compile:…"), so "/{id}" also covers
// "/{id}:run"; asynqmon's router matches the method.
var archivedTaskWrite = regexp.MustCompile(`^/api/queues/[^/]+/archived_tasks(/[^/]+|:(run_all|delete_all|batch_run|batch_delete))$`)

// inlineScript matches the monitor page's inline scripts (no attributes).
var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// queueMonitorCSP is the Content-Security-Policy of the monitor: its page
// boots with two inline scripts (allowed by their hashes, nothing else
// inline) and its UI library injects <style> elements. Google Fonts stay
// blocked: the admin page makes no third-party requests (the UI falls back
// to the system font).
func queueMonitorCSP(mon http.Handler) string {
	rec := httptest.NewRecorder()
	mon.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, QueueMonitorPath, nil))
	scripts := []string{"'self'"}
	for _, m := range inlineScript.FindAllStringSubmatch(rec.Body.String(), -1) {
		sum := sha256.Sum256([]byte(m[1]))
		scripts = append(scripts, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	return "default-src 'self'; script-src " + strings.Join(scripts, " ") + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
}

// serveQueueMonitor hands an admin's request to asynqmon (the guard has
// checked the role; the route table scopes it AdminOnly).
func (h *Handler) serveQueueMonitor(c *fiber.Ctx) error {
	if h.queueMon == nil {
		return errNotFound
	}
	sub := strings.TrimPrefix(c.Path(), QueueMonitorPath)
	if c.Method() != fiber.MethodGet {
		if !archivedTaskWrite.MatchString(sub) {
			return errQueueMonitorReadOnly
		}
		h.log.Info("queue monitor change", "method", c.Method(), "path", sub, "admin", actor(c).ID)
	}
	if tok := SessionToken(c); c.Method() == fiber.MethodGet && tok != "" && c.Get(fiber.HeaderAuthorization) == "" {
		// A cookie session: give the monitor's client the CSRF token to echo
		// (readable by the page's script, only under the monitor's path).
		c.Cookie(&fiber.Cookie{Name: xsrfCookie, Value: CSRFToken(tok), Path: QueueMonitorPath, Secure: h.secureCookies,
			SameSite: fiber.CookieSameSiteStrictMode})
	}
	if err := h.queueMon(c); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentSecurityPolicy, h.queueMonCSP)
	if strings.HasPrefix(sub, "/static/") {
		// File names carry a content hash.
		c.Set(fiber.HeaderCacheControl, "private, max-age=86400")
	}
	return nil
}
