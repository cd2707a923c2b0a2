// Package web serves Weerbaar's server-rendered Dutch pages on the same
// Store, guard and rules as the JSON API.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Pages holds the page handlers' dependencies.
type Pages struct {
	api   *api.Handler
	app   *screening.Service
	store *models.Store
	log   *slog.Logger
	tmpl  map[string]map[string]*template.Template // language -> page -> template
	dev   bool
}

// Mount registers the pages and static files on app.
func Mount(app *fiber.App, h *api.Handler, dev bool) (*Pages, error) {
	p := &Pages{api: h, app: h.Screening(), store: h.Store(), log: h.Log(), dev: dev}
	if err := p.parse(); err != nil {
		return nil, err
	}
	h.SetHTMLErrors(p.renderError)
	h.SetDocuments(p) // the PDF routes of the JSON API print these pages
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	app.Use("/static", func(c *fiber.Ctx) error {
		c.Set("Cache-Control", "public, max-age=3600")
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: http.FS(sub)}))
	// Browsers ask for /favicon.ico by themselves (issue 15); the layout
	// links /static/favicon.svg for those that take an SVG.
	app.Get("/favicon.ico", func(c *fiber.Ctx) error {
		ico, err := staticFS.ReadFile("static/favicon.ico")
		if err != nil {
			return err
		}
		c.Set("Cache-Control", "public, max-age=86400")
		c.Set(fiber.HeaderContentType, "image/x-icon")
		return c.Send(ico)
	})
	for _, rt := range p.Routes() {
		if lim, ok := pageLimits[rt.Method+" "+rt.Path]; ok {
			rt = api.Limited(rt, lim)
		}
		app.Add(rt.Method, rt.Path, h.Handlers(rt)...)
	}
	return p, nil
}

// pageLimits rate-limits the forms people could guess at, like the API.
var pageLimits = map[string]api.Limit{
	"POST /inloggen":                     api.LimitLogin,
	"POST /account/instellen/:token":     api.LimitSetup,
	"GET /account/instellen/:token":      api.LimitSetup,
	"POST /account/lidmaatschap/:token":  api.LimitSetup,
	"GET /account/lidmaatschap/:token":   api.LimitSetup,
	"POST /uitnodiging/:token":           api.LimitInvitation,
	"POST /wachtwoord-vergeten":          api.LimitReset,
	"GET /wachtwoord-herstellen/:token":  api.LimitSetup,
	"POST /wachtwoord-herstellen/:token": api.LimitSetup,
	"POST /link-aanvragen":               api.LimitLinkRequest,
}

// Routes is the page route table (the authorization matrix covers it too).
func (p *Pages) Routes() []api.Route {
	r := func(method, path string, a api.Access, hf fiber.Handler, roles ...string) api.Route {
		return api.Route{Method: method, Path: path, Access: a, Roles: roles, Handler: hf}
	}
	const (
		bestuur   = models.RoleBestuur
		commissie = models.RoleCommissie
	)
	routes := []api.Route{
		r("GET", "/", api.Public, p.home),
		r("GET", "/inloggen", api.Public, p.loginForm),
		r("GET", "/privacy", api.Public, p.privacy),
		r("POST", "/inloggen", api.Public, p.login),
		r("GET", "/inloggen/code", api.Public, p.codeForm),
		r("POST", "/inloggen/code", api.Public, p.code),
		r("GET", "/account/tweestaps", api.UserSelf, p.totpPage),
		r("POST", "/account/tweestaps", api.UserSelf, p.totpConfirm),
		r("POST", "/uitloggen", api.Authenticated, p.logout),
		r("GET", "/account/instellen/:token", api.Public, p.setupForm),
		r("POST", "/account/instellen/:token", api.Public, p.setup),
		r("GET", "/account/wachtwoord", api.UserSelf, p.passwordForm),
		r("POST", "/account/wachtwoord", api.UserSelf, p.passwordChange),
		r("GET", "/wachtwoord-vergeten", api.Public, p.forgotForm),
		r("POST", "/wachtwoord-vergeten", api.Public, p.forgot),
		r("GET", "/wachtwoord-herstellen/:token", api.Public, p.resetForm),
		r("POST", "/wachtwoord-herstellen/:token", api.Public, p.reset),
		r("POST", "/sessie/verlengen", api.Authenticated, p.extendSession),
		r("GET", "/toegankelijkheid", api.Public, p.accessibility),
		r("POST", "/taal", api.Public, p.setLanguage),
	}
	routes = append(routes, p.boardRoutes(r)...)
	routes = append(routes, p.candidateRoutes(r)...)
	routes = append(routes, p.committeeRoutes(r)...)
	routes = append(routes, p.memberRoutes(r)...)
	routes = append(routes, p.referenceRoutes(r)...)
	_ = bestuur
	_ = commissie
	return routes
}

// routeFn builds a route (shared by the area files).
type routeFn func(method, path string, a api.Access, hf fiber.Handler, roles ...string) api.Route

var nlMonths = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

func amsterdam(t time.Time) time.Time {
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return t.In(loc)
	}
	return t
}

var funcs = template.FuncMap{
	"date": func(t any) string {
		tt, ok := deref(t)
		if !ok {
			return ""
		}
		tt = amsterdam(tt)
		return strings.TrimSpace(strings.Join([]string{itoa(tt.Day()), nlMonths[tt.Month()-1], itoa(tt.Year())}, " "))
	},
	"datetime": func(t any) string {
		tt, ok := deref(t)
		if !ok {
			return ""
		}
		tt = amsterdam(tt)
		return itoa(tt.Day()) + " " + nlMonths[tt.Month()-1] + " " + itoa(tt.Year()) + " om " + tt.Format("15:04")
	},
	"time": func(t any) string {
		tt, ok := deref(t)
		if !ok {
			return ""
		}
		return amsterdam(tt).Format("15:04")
	},
	"statusNL": StatusNL,
	"officeNL": OfficeNL,
	"levelNL":  LevelNL,
	"add":      func(a, b int) int { return a + b },
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"contains": func(list any, s string) bool {
		switch l := list.(type) {
		case []string:
			for _, x := range l {
				if x == s {
					return true
				}
			}
		case []any:
			for _, x := range l {
				if x == s {
					return true
				}
			}
		}
		return false
	},
}

func deref(t any) (time.Time, bool) {
	switch v := t.(type) {
	case time.Time:
		return v, !v.IsZero()
	case *time.Time:
		if v == nil {
			return time.Time{}, false
		}
		return *v, true
	}
	return time.Time{}, false
}

func itoa(n int) string {
	b := []byte{}
	if n == 0 {
		return "0"
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// StatusNL is a candidate status in plain Dutch.
func StatusNL(s any) string {
	var v string
	switch t := s.(type) {
	case string:
		v = t
	case models.Status:
		v = string(t)
	}
	return map[string]string{
		"invited": "Uitgenodigd", "in_progress": "Bezig", "submitted": "Ingediend", "profiled": "Profiel klaar",
		"decided": "Advies gegeven", "withdrawn": "Teruggetrokken", "expired": "Verlopen", "revoked": "Ingetrokken",
	}[v]
}

// OfficeNL is an office in plain Dutch.
func OfficeNL(o string) string {
	switch o {
	case "raadslid":
		return "Raadslid"
	case "wethouder":
		return "Wethouder"
	case "commissielid":
		return "Commissielid (burgerlid)"
	}
	if info, ok := questionnaires.Office(o); ok { // questionnaire version 2 on
		return info.Label
	}
	return o
}

// LevelNL is a risk level as a word (never colour alone).
func LevelNL(l any) string {
	var v string
	switch t := l.(type) {
	case string:
		v = t
	case *string:
		if t != nil {
			v = *t
		}
	default:
		if s, ok := t.(interface{ String() string }); ok {
			v = s.String()
		}
	}
	if v == "" {
		return "nog geen profiel"
	}
	return v
}

func (p *Pages) parse() error {
	if err := i18n.Check(); err != nil {
		return err
	}
	p.tmpl = map[string]map[string]*template.Template{}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return err
	}
	parts, _ := fs.Glob(templateFS, "templates/_*.html")
	// One set per language: {{t "..."}} and the date functions are bound
	// at parse time, so a page cannot mix languages.
	for _, lang := range i18n.Languages {
		set := map[string]*template.Template{}
		for _, page := range pages {
			if strings.HasSuffix(page, "/layout.html") || strings.Contains(page, "/_") {
				continue
			}
			files := append([]string{"templates/layout.html"}, parts...)
			files = append(files, page)
			t, err := template.New("layout.html").Funcs(funcs).Funcs(langFuncs(lang)).ParseFS(templateFS, files...)
			if err != nil {
				return err
			}
			set[strings.TrimSuffix(strings.TrimPrefix(page, "templates/"), ".html")] = t
		}
		p.tmpl[lang] = set
	}
	return nil
}

// page returns a page's template in lang (Dutch when lang is unknown).
func (p *Pages) page(lang, page string) (*template.Template, bool) {
	set, ok := p.tmpl[i18n.Normalize(lang)]
	if !ok {
		set = p.tmpl[i18n.NL]
	}
	t, ok := set[page]
	return t, ok
}

type apiRoute = api.Route
