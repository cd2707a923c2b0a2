package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- rounds ----

type comRoundItem struct {
	ID, Name, Office         string
	Deadline                 time.Time
	Total, Profiled, Waiting int
	Rescreen                 bool
}

func (p *Pages) comRounds(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rs, err := p.store.Rounds(ctx, api.PartyOf(c))
	if err != nil {
		return err
	}
	items := make([]comRoundItem, 0, len(rs))
	for _, r := range rs {
		rows, err := p.store.Candidates(ctx, r.ID, comUserID(c))
		if err != nil {
			return err
		}
		it := comRoundItem{ID: r.ID, Name: r.Name, Office: r.Office, Deadline: r.Deadline, Total: len(rows), Rescreen: r.PreviousRoundID != nil}
		for _, row := range rows {
			if row.Status == models.StatusProfiled {
				it.Profiled++
			}
			if row.Decision != nil && row.Decision.Status == models.DecisionProposed {
				it.Waiting++
			}
		}
		items = append(items, it)
	}
	v := p.comView(c, "Rondes", true)
	v.Data = map[string]any{"Rounds": items}
	return p.render(c, 0, "committee_rounds", v)
}

// ---- round overview ----

type comCount struct {
	Key, Label string
	N          int
}

type comOption struct {
	Value, Label string
	Selected     bool
}

type comSelect struct {
	ID, Name, Label string
	Options         []comOption
}

type comRow struct {
	ID, Name, Level, VOG, Decision string
	Status                         models.Status
}

func (p *Pages) comRound(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rd := api.RoundOf(c)
	viewer := screening.Viewer{Role: models.RoleCommissie, UserID: comUserID(c)}
	// Counts over every file the member may see.
	ov, err := p.app.RoundOverview(ctx, viewer, rd)
	if err != nil {
		return err
	}
	byStatus, byLevel, byVOG := ov.Status, ov.Level, ov.VOG
	var statusCounts, levelCounts, vogCounts []comCount
	for _, s := range comStatuses {
		if n := byStatus[string(s)]; n > 0 {
			statusCounts = append(statusCounts, comCount{string(s), StatusNL(s), n})
		}
	}
	for _, l := range questionnaires.Levels {
		levelCounts = append(levelCounts, comCount{string(l), string(l), byLevel[string(l)]})
	}
	levelCounts = append(levelCounts, comCount{"", "nog geen profiel", byLevel["geen_profiel"]})
	for _, s := range append(append([]string{}, models.VOGStatuses...), "verlopen") {
		if n := byVOG[s]; n > 0 {
			vogCounts = append(vogCounts, comCount{s, comVOGNL[s], n})
		}
	}

	q := map[string]string{"level": c.Query("level"), "status": c.Query("status"), "vog": c.Query("vog"), "sort": c.Query("sort")}
	v := p.comView(c, rd.Name, false)
	rows, ferr := p.app.RoundRows(ctx, viewer, rd, screening.RoundQuery{Level: q["level"], VOG: q["vog"], Status: q["status"], Sort: q["sort"], WithVOG: true})
	status := 0
	if ferr != nil {
		errs, st, ok := formErrors(ferr, "filter-sort", nil)
		if !ok {
			return ferr
		}
		v.Errors, status = errs, st
	}
	list := make([]comRow, len(rows))
	for i, r := range rows {
		list[i] = comRow{ID: r.ID, Name: r.Name, Status: r.Status, Level: comLevel(r.Level), VOG: comVOGNL[r.VOG], Decision: comDecisionNL(r.Decision)}
	}

	opt := func(field string, pairs ...string) []comOption {
		out := make([]comOption, 0, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			out = append(out, comOption{Value: pairs[i], Label: pairs[i+1], Selected: q[field] == pairs[i]})
		}
		return out
	}
	levelPairs := []string{"", "Alle niveaus"}
	for _, l := range questionnaires.Levels {
		levelPairs = append(levelPairs, string(l), string(l))
	}
	levelPairs = append(levelPairs, "geen_profiel", "nog geen profiel")
	statusPairs := []string{"", "Alle statussen"}
	for _, s := range comStatuses {
		statusPairs = append(statusPairs, string(s), StatusNL(s))
	}
	vogPairs := []string{"", "Alle VOG-statussen"}
	for _, s := range append(append([]string{}, models.VOGStatuses...), "verlopen") {
		vogPairs = append(vogPairs, s, comVOGNL[s])
	}
	filters := []comSelect{
		{ID: "filter-level", Name: "level", Label: "Niveau", Options: opt("level", levelPairs...)},
		{ID: "filter-status", Name: "status", Label: "Status", Options: opt("status", statusPairs...)},
		{ID: "filter-vog", Name: "vog", Label: "VOG", Options: opt("vog", vogPairs...)},
		{ID: "filter-sort", Name: "sort", Label: "Sorteren op", Options: opt("sort", "level", "Niveau, hoogste eerst", "name", "Naam", "status", "Status", "invited", "Volgorde van uitnodigen")},
	}
	if q["sort"] == "" {
		filters[3].Options[0].Selected = true
	}
	mapRows, err := p.roundMapRows(ctx, rd, api.ActorOf(c))
	if err != nil {
		return err
	}
	v.Data = map[string]any{
		"MapRows": mapRows, "MapURL": "/commissie/ronde/" + rd.ID + "/kaart.svg",
		"Round": rd, "Total": ov.Total, "Shown": len(list), "Rows": list, "Filters": filters,
		"StatusCounts": statusCounts, "LevelCounts": levelCounts, "VOGCounts": vogCounts, "Waiting": ov.ProposalsWaiting,
		"Filtered": q["level"] != "" || q["status"] != "" || q["vog"] != "",
	}
	return p.render(c, status, "committee_round", v)
}
