package apptest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/weerbaar/weerbaar/api"
)

// Every exchange a test sends to the JSON API through Env.Do (and so Must,
// Login, AddMember, …) is checked against api/openapi.yaml with kin-openapi:
// the response always (an undocumented status fails too, and so does an
// error response of the wrong shape), the request when the server accepted
// it (a 2xx: what the server takes must be what the document promises).
// A mismatch is a t.Errorf of the test that sent it. The document is the
// contract external clients code against; this keeps it from drifting.

// apiPrefix is the document's server URL: only these paths are validated
// (pages, /dev/mail and /metrics are not part of the JSON API).
const apiPrefix = "/api/v1"

var (
	contract struct {
		once   sync.Once
		router routers.Router
		err    error
	}
	validated atomic.Int64 // responses validated in this test binary
)

// OpenAPIValidated is how many API responses this test binary has checked
// against the document so far.
func OpenAPIValidated() int64 { return validated.Load() }

func contractRouter() (routers.Router, error) {
	contract.once.Do(func() {
		ctx := context.Background()
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(api.OpenAPI())
		if err != nil {
			contract.err = fmt.Errorf("load the OpenAPI document: %w", err)
			return
		}
		if err := doc.Validate(ctx); err != nil {
			contract.err = fmt.Errorf("the OpenAPI document is invalid: %w", err)
			return
		}
		contract.router, contract.err = gorillamux.NewRouter(doc)
	})
	return contract.router, contract.err
}

// Exchange is one request and its response, as a test saw them.
type Exchange struct {
	Method, Path string // Path with its query string
	ReqHeader    http.Header
	ReqBody      []byte
	Status       int
	Header       http.Header
	Body         []byte
}

// ValidateExchange checks one exchange against the document. It returns
// nil for paths outside the JSON API.
func ValidateExchange(x Exchange) error {
	if !strings.HasPrefix(x.Path, apiPrefix+"/") {
		return nil
	}
	router, err := contractRouter()
	if err != nil {
		return err
	}
	u, err := url.Parse(x.Path)
	if err != nil {
		return err
	}
	req := &http.Request{Method: x.Method, URL: u, Header: x.ReqHeader.Clone(), Host: "weerbaar.test",
		Body: io.NopCloser(bytes.NewReader(x.ReqBody)), ContentLength: int64(len(x.ReqBody))}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("no operation in the document: %w", err)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
		SkipSettingDefaults:   true,
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if x.Status >= 200 && x.Status < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("the server accepted a request the document does not allow: %w", err)
		}
	}
	validated.Add(1)
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: x.Status, Header: x.Header,
		Body: io.NopCloser(bytes.NewReader(x.Body)), Options: opts,
	})
}

// checkContract reports an exchange that breaks the document.
func (e *Env) checkContract(x Exchange) {
	if err := ValidateExchange(x); err != nil {
		e.T.Helper()
		body := x.Body
		if len(body) > 300 || !strings.Contains(x.Header.Get("Content-Type"), "json") {
			body = nil // no page or file bodies in test output
		}
		if x.Status < 400 {
			body = nil // a success may carry a token or answers
		}
		e.T.Errorf("OpenAPI: %s %s → %d breaks api/openapi.yaml: %s %s", x.Method, x.Path, x.Status, briefly(err), body)
	}
}

// briefly renders kin's error without the values and schemas it embeds
// (whole bodies and subtrees): where and why, one line per problem.
func briefly(err error) string {
	var out []string
	var walk func(prefix string, err error)
	walk = func(prefix string, err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				walk(prefix, x)
			}
		case *openapi3filter.ResponseError:
			if e.Err == nil {
				out = append(out, prefix+e.Reason)
				return
			}
			walk(prefix+e.Reason+": ", e.Err)
		case *openapi3filter.RequestError:
			p := prefix + "request"
			if e.Parameter != nil {
				p += " parameter " + e.Parameter.Name
			}
			if e.Reason != "" {
				p += " " + e.Reason
			}
			if e.Err == nil {
				out = append(out, p)
				return
			}
			walk(p+": ", e.Err)
		case *openapi3.SchemaError:
			ptr := "/" + strings.Join(e.JSONPointer(), "/")
			if e.Origin != nil {
				walk(prefix+"at "+ptr+": ", e.Origin)
				return
			}
			out = append(out, fmt.Sprintf("%sat %s: %s", prefix, ptr, e.Reason))
		default:
			if u, ok := err.(interface{ Unwrap() []error }); ok {
				for _, x := range u.Unwrap() {
					walk(prefix, x)
				}
				return
			}
			out = append(out, prefix+err.Error())
		}
	}
	walk("", err)
	return strings.Join(out, "; ")
}
