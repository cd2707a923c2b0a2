package api_test

import (
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/models"
)

// The parts of an OpenAPI 3 document the tests look at.
type openAPIDoc struct {
	OpenAPI  string                          `yaml:"openapi"`
	Servers  []struct{ URL string }          `yaml:"servers"`
	Security []map[string][]string           `yaml:"security"`
	Paths    map[string]map[string]yaml.Node `yaml:"paths"`
	// raw is the whole document, for resolving $refs.
	raw map[string]any
}

type specParam struct {
	Ref      string `yaml:"$ref"`
	Name     string `yaml:"name"`
	In       string `yaml:"in"`
	Required bool   `yaml:"required"`
}

type specMedia struct {
	Schema map[string]any `yaml:"schema"`
}

type specResponse struct {
	Ref         string               `yaml:"$ref"`
	Description string               `yaml:"description"`
	Content     map[string]specMedia `yaml:"content"`
}

type specOp struct {
	OperationID string                 `yaml:"operationId"`
	Summary     string                 `yaml:"summary"`
	Security    *[]map[string][]string `yaml:"security"`
	Roles       *[]string              `yaml:"x-weerbaar-roles"`
	Parameters  []specParam            `yaml:"parameters"`
	RequestBody *struct {
		Required bool
		Content  map[string]specMedia
	} `yaml:"requestBody"`
	Responses map[string]specResponse `yaml:"responses"`
}

// specOperation is one operation with its path-level parameters.
type specOperation struct {
	Method, Path string // Path as in the router: /api/v1/candidates/{cid}
	Op           specOp
	PathParams   []specParam
}

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options"}

func parseOpenAPI(t *testing.T, b []byte) *openAPIDoc {
	t.Helper()
	var d openAPIDoc
	if err := yaml.Unmarshal(b, &d); err != nil {
		t.Fatalf("the OpenAPI document is not valid YAML: %v", err)
	}
	if err := yaml.Unmarshal(b, &d.raw); err != nil {
		t.Fatal(err)
	}
	return &d
}

func (d *openAPIDoc) base() string {
	if len(d.Servers) == 0 {
		return ""
	}
	return strings.TrimRight(d.Servers[0].URL, "/")
}

func (d *openAPIDoc) operations(t *testing.T) []specOperation {
	t.Helper()
	var out []specOperation
	for path, item := range d.Paths {
		var shared []specParam
		if n, ok := item["parameters"]; ok {
			if err := n.Decode(&shared); err != nil {
				t.Fatalf("%s parameters: %v", path, err)
			}
		}
		for key, n := range item {
			if key == "parameters" {
				continue
			}
			if !slices.Contains(httpMethods, key) {
				t.Errorf("%s: unexpected key %q", path, key)
				continue
			}
			var op specOp
			if err := n.Decode(&op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			out = append(out, specOperation{Method: strings.ToUpper(key), Path: d.base() + path, Op: op, PathParams: shared})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Method+" "+out[i].Path < out[j].Method+" "+out[j].Path })
	return out
}

// resolve follows a local $ref ("#/components/…") to its node.
func (d *openAPIDoc) resolve(ref string) (any, bool) {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var cur any = d.raw
	for _, part := range strings.Split(p, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// fiberParam turns a Fiber path (":cid") into an OpenAPI path ("{cid}").
var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

func openAPIPath(fiberPath string) string { return fiberParam.ReplaceAllString(fiberPath, "{$1}") }

// routerRoutes is the set of JSON API routes the router actually serves.
func routerRoutes(t *testing.T) []string {
	t.Helper()
	app, _ := api.New(api.Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	seen := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		if r.Method == "HEAD" || !strings.HasPrefix(r.Path, v1+"/") {
			continue
		}
		seen[r.Method+" "+openAPIPath(r.Path)] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// expectedRoles is who may call a route, as x-weerbaar-roles states it.
func expectedRoles(rt api.Route) []string {
	var roles []string
	switch rt.Access {
	case api.Public:
		roles = []string{}
	case api.Authenticated:
		roles = []string{models.RoleAdmin, models.RoleBestuur, models.RoleCommissie, models.RoleKandidaat}
	case api.AdminOnly:
		roles = []string{models.RoleAdmin}
	case api.CandidateSelf:
		roles = []string{models.RoleKandidaat}
	case api.UserSelf:
		roles = []string{models.RoleAdmin, models.RoleBestuur, models.RoleCommissie}
	default:
		roles = slices.Clone(rt.Roles)
	}
	sort.Strings(roles)
	return roles
}

func hasScheme(reqs []map[string][]string, names ...string) bool {
	for _, req := range reqs {
		if len(req) != len(names) {
			continue
		}
		all := true
		for _, n := range names {
			if _, ok := req[n]; !ok {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}

// TestOpenAPI checks the embedded OpenAPI document against the router and
// the route table.
func TestOpenAPI(t *testing.T) {
	doc := parseOpenAPI(t, api.OpenAPI())
	ops := doc.operations(t)
	_, h := api.New(api.Deps{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	table := map[string]api.Route{}
	for _, rt := range h.Routes() {
		if strings.HasPrefix(rt.Path, v1+"/") {
			table[rt.Method+" "+openAPIPath(rt.Path)] = rt
		}
	}

	tests := []struct {
		name  string
		check func(t *testing.T)
	}{
		{"version is OpenAPI 3.x", func(t *testing.T) {
			if !strings.HasPrefix(doc.OpenAPI, "3.") {
				t.Fatalf("openapi: %q, want 3.x", doc.OpenAPI)
			}
			if doc.base() != v1 {
				t.Fatalf("servers[0].url %q, want %s", doc.base(), v1)
			}
		}},
		{"paths equal the router's routes", func(t *testing.T) {
			var spec []string
			for _, o := range ops {
				spec = append(spec, o.Method+" "+o.Path)
			}
			router := routerRoutes(t)
			if len(router) < 50 {
				t.Fatalf("only %d JSON API routes in the router", len(router))
			}
			var missing, extra []string
			for _, r := range router {
				if !slices.Contains(spec, r) {
					missing = append(missing, r)
				}
			}
			for _, s := range spec {
				if !slices.Contains(router, s) {
					extra = append(extra, s)
				}
			}
			if len(missing) > 0 {
				t.Errorf("routes without an operation in openapi.yaml:\n  %s", strings.Join(missing, "\n  "))
			}
			if len(extra) > 0 {
				t.Errorf("operations in openapi.yaml without a route:\n  %s", strings.Join(extra, "\n  "))
			}
			if diff := cmp.Diff(router, spec); diff != "" && len(missing)+len(extra) == 0 {
				t.Errorf("router vs spec (-router +spec):\n%s", diff) // duplicates
			}
		}},
		{"every operation has an id, a summary and responses", func(t *testing.T) {
			ids := map[string]string{}
			for _, o := range ops {
				name := o.Method + " " + o.Path
				if o.Op.OperationID == "" || strings.TrimSpace(o.Op.Summary) == "" {
					t.Errorf("%s: operationId and summary are required", name)
				}
				if prev, dup := ids[o.Op.OperationID]; dup {
					t.Errorf("%s: operationId %q also used by %s", name, o.Op.OperationID, prev)
				}
				ids[o.Op.OperationID] = name
				ok2xx := false
				for code := range o.Op.Responses {
					ok2xx = ok2xx || strings.HasPrefix(code, "2")
				}
				if !ok2xx {
					t.Errorf("%s: no success response", name)
				}
			}
		}},
		{"path parameters are declared", func(t *testing.T) {
			tmpl := regexp.MustCompile(`\{([^}]+)\}`)
			for _, o := range ops {
				declared := map[string]bool{}
				for _, p := range append(slices.Clone(o.PathParams), o.Op.Parameters...) {
					if p.Ref != "" {
						n, ok := doc.resolve(p.Ref)
						if !ok {
							t.Errorf("%s %s: unresolved %s", o.Method, o.Path, p.Ref)
							continue
						}
						m := n.(map[string]any)
						p.Name, p.In, p.Required = m["name"].(string), m["in"].(string), m["required"] == true
					}
					if p.In == "path" {
						if !p.Required {
							t.Errorf("%s %s: path parameter %s must be required", o.Method, o.Path, p.Name)
						}
						declared[p.Name] = true
					}
				}
				var inPath []string
				for _, m := range tmpl.FindAllStringSubmatch(o.Path, -1) {
					inPath = append(inPath, m[1])
					if !declared[m[1]] {
						t.Errorf("%s %s: path parameter {%s} not declared", o.Method, o.Path, m[1])
					}
				}
				for name := range declared {
					if !slices.Contains(inPath, name) {
						t.Errorf("%s %s: declares path parameter %s that is not in the path", o.Method, o.Path, name)
					}
				}
			}
		}},
		{"every $ref resolves", func(t *testing.T) {
			var walk func(where string, n any)
			walk = func(where string, n any) {
				switch v := n.(type) {
				case map[string]any:
					for k, x := range v {
						if k == "$ref" {
							if _, ok := doc.resolve(x.(string)); !ok {
								t.Errorf("%s: unresolved $ref %v", where, x)
							}
							continue
						}
						walk(where+"/"+k, x)
					}
				case []any:
					for _, x := range v {
						walk(where, x)
					}
				}
			}
			walk("", doc.raw)
		}},
		{"schemas use only OpenAPI 3.0 schema keywords", func(t *testing.T) {
			// Catches YAML slips such as an unquoted comma in a flow mapping
			// ({description: a, b}), which makes "b" a key.
			allowed := []string{"$ref", "type", "format", "description", "title", "enum", "default", "example", "nullable",
				"required", "properties", "items", "additionalProperties", "allOf", "oneOf", "anyOf", "not", "minimum",
				"maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength", "maxLength", "pattern",
				"minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "readOnly", "writeOnly", "deprecated",
				"discriminator"}
			var schema func(where string, n any)
			schema = func(where string, n any) {
				m, ok := n.(map[string]any)
				if !ok {
					if _, isBool := n.(bool); !isBool || !strings.HasSuffix(where, "additionalProperties") {
						t.Errorf("%s: not a schema object: %v", where, n)
					}
					return
				}
				for k, v := range m {
					if !slices.Contains(allowed, k) && !strings.HasPrefix(k, "x-") {
						t.Errorf("%s: unknown schema keyword %q", where, k)
					}
					switch k {
					case "properties":
						for name, p := range v.(map[string]any) {
							schema(where+"/properties/"+name, p)
						}
					case "items", "additionalProperties", "not":
						schema(where+"/"+k, v)
					case "allOf", "oneOf", "anyOf":
						for i, x := range v.([]any) {
							schema(fmt.Sprintf("%s/%s/%d", where, k, i), x)
						}
					}
				}
			}
			var walk func(where string, n any)
			walk = func(where string, n any) {
				switch v := n.(type) {
				case map[string]any:
					for k, x := range v {
						switch {
						case k == "schema":
							schema(where+"/schema", x)
						case k == "schemas" && where == "/components":
							for name, s := range x.(map[string]any) {
								schema("/components/schemas/"+name, s)
							}
						default:
							walk(where+"/"+k, x)
						}
					}
				case []any:
					for _, x := range v {
						walk(where, x)
					}
				}
			}
			walk("", doc.raw)
		}},
		{"security schemes: bearer token and session cookie", func(t *testing.T) {
			schemes, _ := doc.resolve("#/components/securitySchemes")
			m, _ := schemes.(map[string]any)
			bearer, _ := m["bearerAuth"].(map[string]any)
			cookie, _ := m["sessionCookie"].(map[string]any)
			csrf, _ := m["csrfToken"].(map[string]any)
			if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
				t.Errorf("bearerAuth: %v", bearer)
			}
			if cookie["type"] != "apiKey" || cookie["in"] != "cookie" || cookie["name"] != api.SessionCookie {
				t.Errorf("sessionCookie: %v", cookie)
			}
			if csrf["type"] != "apiKey" || csrf["in"] != "header" || csrf["name"] != api.CSRFHeader {
				t.Errorf("csrfToken: %v", csrf)
			}
			if !hasScheme(doc.Security, "bearerAuth") || !hasScheme(doc.Security, "sessionCookie") {
				t.Errorf("global security %v, want bearerAuth or sessionCookie", doc.Security)
			}
		}},
		{"access and roles match the route table", func(t *testing.T) {
			for _, o := range ops {
				name := o.Method + " " + o.Path
				rt, ok := table[name]
				if !ok {
					continue // reported by the paths check
				}
				if o.Op.Roles == nil {
					t.Errorf("%s: no x-weerbaar-roles", name)
				} else {
					got := slices.Clone(*o.Op.Roles)
					sort.Strings(got)
					if diff := cmp.Diff(expectedRoles(rt), got); diff != "" {
						t.Errorf("%s: x-weerbaar-roles (-route table +spec):\n%s", name, diff)
					}
				}
				switch {
				case rt.Access == api.Public:
					if o.Op.Security == nil || len(*o.Op.Security) != 0 {
						t.Errorf("%s is public: want security: []", name)
					}
				case o.Method == "GET":
					if o.Op.Security != nil {
						t.Errorf("%s: reads use the global security", name)
					}
				default:
					if o.Op.Security == nil || !hasScheme(*o.Op.Security, "bearerAuth") || !hasScheme(*o.Op.Security, "sessionCookie", "csrfToken") {
						t.Errorf("%s: a write needs bearerAuth, or sessionCookie with csrfToken", name)
					}
				}
				if rt.Access != api.Public {
					if _, ok := o.Op.Responses["401"]; !ok {
						t.Errorf("%s: no 401 response", name)
					}
				}
			}
		}},
		{"error responses use the error shape", func(t *testing.T) {
			for _, o := range ops {
				for code, r := range o.Op.Responses {
					if !strings.HasPrefix(code, "4") {
						continue
					}
					if r.Ref != "" {
						n, ok := doc.resolve(r.Ref)
						if !ok {
							t.Errorf("%s %s %s: unresolved %s", o.Method, o.Path, code, r.Ref)
							continue
						}
						b, _ := yaml.Marshal(n)
						r = specResponse{}
						if err := yaml.Unmarshal(b, &r); err != nil {
							t.Fatal(err)
						}
					}
					if ref := r.Content["application/json"].Schema["$ref"]; ref != "#/components/schemas/Error" {
						t.Errorf("%s %s %s: schema %v, want the Error shape", o.Method, o.Path, code, ref)
					}
				}
			}
		}},
		{"writes document their request body", func(t *testing.T) {
			// The writes whose handler reads no body.
			bodyless := []string{"logout", "logoutEverywhere", "startTOTP", "resendSetup", "resend", "revoke",
				"confirmDecision", "rejectDecision", "accept", "submit", "withdraw", "confirmMember", "rejectMember",
				"withdrawSummaryConsent", "extendSession"}
			for _, o := range ops {
				name := o.Method + " " + o.Path
				switch {
				case o.Op.RequestBody == nil && o.Method != "GET" && !slices.Contains(bodyless, o.Op.OperationID):
					t.Errorf("%s (%s): a write without a request body", name, o.Op.OperationID)
				case o.Op.RequestBody == nil:
				case o.Method == "GET" || slices.Contains(bodyless, o.Op.OperationID):
					t.Errorf("%s (%s): documents a body the handler does not read", name, o.Op.OperationID)
				case len(o.Op.RequestBody.Content["application/json"].Schema) == 0:
					t.Errorf("%s: request body without a JSON schema", name)
				default:
					if _, ok := o.Op.Responses["422"]; !ok {
						t.Errorf("%s: a body can be invalid: no 422 response", name)
					}
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.check)
	}
}

// TestOpenAPIServed fetches the document from a running system, without a
// session.
func TestOpenAPIServed(t *testing.T) {
	e := apptest.Start(t)
	r := e.Must(200, "GET", v1+"/openapi.yaml", "", nil)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/yaml") {
		t.Errorf("Content-Type %q, want application/yaml", ct)
	}
	if diff := cmp.Diff(string(api.OpenAPI()), string(r.Body)); diff != "" {
		t.Errorf("served document differs from the embedded one:\n%s", diff)
	}
	var doc struct {
		OpenAPI string         `yaml:"openapi"`
		Paths   map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("not valid YAML: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) == 0 {
		t.Fatalf("openapi %q with %d paths, want 3.x with paths", doc.OpenAPI, len(doc.Paths))
	}
}
