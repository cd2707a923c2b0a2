package web

func (p *Pages) boardRoutes(r routeFn) []apiRoute { return nil }
