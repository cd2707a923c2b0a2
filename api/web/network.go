package web

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
)

// netRow is one organisation in the accessible table next to the map: the
// same facts as the picture (name, roles, level, ties, shared with).
type netRow struct {
	Name, Roles, Level, Ties, Shared string
}

type netData struct {
	Rows []netRow
	Map  string // URL of the SVG
}

// networkData builds the table of a candidate's map.
func (p *Pages) networkData(ctx context.Context, k *models.Candidate, viewer string) (*netData, error) {
	nv, err := p.app.Network(ctx, k, viewer)
	if err != nil {
		return nil, err
	}
	levels := map[string]string{}
	for _, n := range nv.Graph.Nodes {
		levels[n.Label] = string(n.Level)
	}
	shared := map[string][]string{}
	for _, o := range nv.Overlaps {
		for _, other := range o.Others {
			var roles []string
			for _, r := range other.Roles {
				roles = append(roles, network.RoleLabel(r))
			}
			shared[o.Org.Name] = append(shared[o.Org.Name], other.Name+" ("+strings.Join(roles, ", ")+")")
		}
	}
	d := &netData{Map: "/commissie/kandidaten/" + k.ID + "/kaart.svg"}
	for _, o := range nv.Organisations {
		var roles, ties []string
		for _, r := range o.Roles {
			roles = append(roles, network.RoleLabel(r))
		}
		for _, t := range o.Ties {
			ties = append(ties, t.Label())
		}
		lvl := levels[o.Name]
		if lvl == "" {
			lvl = "geen"
		}
		d.Rows = append(d.Rows, netRow{Name: o.Name, Roles: strings.Join(roles, ", "), Level: lvl, Ties: strings.Join(ties, "; "), Shared: strings.Join(shared[o.Name], "; ")})
	}
	return d, nil
}

// candidateMap serves the candidate's map as SVG (audited like the API).
func (p *Pages) candidateMap(c *fiber.Ctx) error {
	k := api.CandidateOf(c)
	nv, err := p.app.Network(c.UserContext(), k, api.ActorOf(c).ID)
	if err != nil {
		return err
	}
	svg, err := network.SVG(c.UserContext(), nv.Graph)
	if err != nil {
		return err
	}
	if err := p.store.AuditRead(c.UserContext(), k, api.ActorOf(c), "network.read"); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	return c.Send(svg)
}

// roundMap serves the round map (candidates and shared organisations).
func (p *Pages) roundMap(c *fiber.Ctx) error {
	g, err := p.app.RoundNetwork(c.UserContext(), api.RoundOf(c), api.ActorOf(c).ID)
	if err != nil {
		return err
	}
	if err := p.app.AuditRoundNetwork(c.UserContext(), api.RoundOf(c), api.ActorOf(c), g); err != nil {
		return err
	}
	svg, err := network.SVG(c.UserContext(), g)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	return c.Send(svg)
}

// roundMapRows is the table alternative of the round map: each shared
// organisation with the candidates in it.
func (p *Pages) roundMapRows(ctx context.Context, r *models.Round, viewer models.Actor) ([]netRow, error) {
	g, err := p.app.RoundNetwork(ctx, r, viewer.ID)
	if err != nil {
		return nil, err
	}
	if err := p.app.AuditRoundNetwork(ctx, r, viewer, g); err != nil {
		return nil, err
	}
	label := map[string]string{}
	kind := map[string]string{}
	for _, n := range g.Nodes {
		label[n.ID], kind[n.ID] = n.Label, n.Kind
	}
	members := map[string][]string{}
	var order []string
	for _, e := range g.Edges {
		cand, org := e.From, e.To
		if kind[cand] != network.KindCandidate {
			cand, org = org, cand
		}
		if _, ok := members[org]; !ok {
			order = append(order, org)
		}
		members[org] = append(members[org], label[cand]+" ("+e.Label+")")
	}
	var rows []netRow
	for _, org := range order {
		rows = append(rows, netRow{Name: label[org], Shared: strings.Join(members[org], "; ")})
	}
	return rows, nil
}
