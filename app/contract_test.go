package app_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/weerbaar/weerbaar/internal/apptest"
)

// Every exchange of this package's tests through apptest.Env.Do is
// validated against api/openapi.yaml (internal/apptest/openapi.go); the
// count is printed at the end with go test -v.
func TestMain(m *testing.M) {
	code := m.Run()
	if testing.Verbose() {
		fmt.Printf("OpenAPI: %d API responses of package app validated against api/openapi.yaml\n", apptest.OpenAPIValidated())
	}
	os.Exit(code)
}
