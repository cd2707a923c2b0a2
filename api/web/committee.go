package web

func (p *Pages) committeeRoutes(r routeFn) []apiRoute { return nil }
