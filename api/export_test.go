package api

// JSONErrorPath exposes jsonErrors to the external tests: whether errors on
// a path are JSON (APIs) or an HTML page.
var JSONErrorPath = jsonErrors
