package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPISpec documents the JSON API under /api/v1 (OpenAPI 3.0). A test
// keeps its paths and the router's routes in step.
//
//go:embed openapi.yaml
var openAPISpec []byte

// OpenAPI returns the OpenAPI document of the JSON API.
func OpenAPI() []byte { return openAPISpec }

// openAPI serves the document; it holds no data, so it is public.
func (h *Handler) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/yaml")
	return c.Send(openAPISpec)
}
