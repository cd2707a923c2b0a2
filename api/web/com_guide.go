package web

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
)

// ---- interview guide ----

func (p *Pages) comGuide(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	rd, err := p.store.Round(ctx, k.RoundID)
	if err != nil {
		return err
	}
	def, _, err := p.store.Definition(ctx, k)
	if err != nil {
		return err
	}
	prof, _, err := p.store.Profile(ctx, k)
	if errors.Is(err, models.ErrNotFound) {
		return &api.Error{Status: fiber.StatusNotFound, Code: "geen_profiel", Message: "Er is nog geen profiel van deze kandidaat. De gespreksleidraad komt er zodra de kandidaat de scan heeft ingediend."}
	}
	if err != nil {
		return err
	}
	if prof, err = p.app.WithOverlaps(ctx, k, api.ActorOf(c).ID, prof); err != nil {
		return err
	}
	var withFlags []comDomain
	var quiet []string
	for _, d := range comProfile(def, prof) {
		if len(d.Flags) > 0 {
			withFlags = append(withFlags, d)
		} else {
			quiet = append(quiet, d.Title)
		}
	}
	if err := p.store.AuditReads(ctx, k.PartyID, []string{k.ID}, api.ActorOf(c), "profile.read", "network.read"); err != nil {
		return err
	}
	v := p.comView(c, "Gespreksleidraad "+k.Name, false)
	v.Print = true
	v.BodyClass = "guide"
	nm, err := p.networkData(ctx, k, api.ActorOf(c).ID)
	if err != nil {
		return err
	}
	dilemmas, err := p.guideDilemmas(withFlags)
	if err != nil {
		return err
	}
	v.Data = map[string]any{"Candidate": k, "Round": rd, "Base": comFiles + k.ID, "Level": string(prof.Overall),
		"Domains": withFlags, "Quiet": strings.Join(quiet, ", "), "PrintedAt": p.store.Now(), "Network": nm, "Dilemmas": dilemmas}
	return p.render(c, 0, "committee_guide", v)
}
