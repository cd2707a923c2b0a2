package api

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// ---- round overview, filters, re-screening ----

// roundRows lists a round's candidates with the query's filters and sort.
// Level and VOG filters are committee-only: the board may not even ask.
func (h *Handler) roundRows(c *fiber.Ctx) ([]models.CandidateRow, error) {
	ctx := c.UserContext()
	role := roleOf(c)
	level, vog, status, sortBy := c.Query("level"), c.Query("vog"), c.Query("status"), c.Query("sort")
	if role != models.RoleCommissie && (level != "" || vog != "" || sortBy == "level") {
		return nil, errForbidden
	}
	hidden := ""
	if role == models.RoleCommissie {
		hidden = principal(c).User.ID
	}
	rows, err := h.store.Candidates(ctx, roundOf(c).ID, hidden)
	if err != nil {
		return nil, err
	}
	var vogs map[string]models.VOGRecord
	maxAge := 0
	if vog != "" {
		if vogs, err = h.store.RoundVOGs(ctx, roundOf(c).ID); err != nil {
			return nil, err
		}
		party, err := h.store.Party(ctx, partyOf(c))
		if err != nil {
			return nil, err
		}
		maxAge = party.MaxVOGAgeDays
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	levels, vogStates, statuses := split(level), split(vog), split(status)
	out := rows[:0]
	for _, r := range rows {
		if len(statuses) > 0 && !slices.Contains(statuses, string(r.Status)) {
			continue
		}
		if len(levels) > 0 {
			l := "geen_profiel"
			if r.Level != nil {
				l = *r.Level
			}
			if !slices.Contains(levels, l) {
				continue
			}
		}
		if len(vogStates) > 0 {
			var v *models.VOGRecord
			if rec, ok := vogs[r.ID]; ok {
				v = &rec
			}
			if !slices.Contains(vogStates, models.VOGState(v, maxAge, h.store.Now())) {
				continue
			}
		}
		out = append(out, r)
	}
	if sortBy == "" && role == models.RoleCommissie {
		sortBy = "level" // the files that need most attention first
	}
	switch sortBy {
	case "level":
		sort.SliceStable(out, func(i, j int) bool { return levelRank(out[i].Level) > levelRank(out[j].Level) })
	case "name":
		sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	case "status":
		sort.SliceStable(out, func(i, j int) bool { return out[i].Status < out[j].Status })
	case "", "invited":
	default:
		return nil, fieldErr("sort", "Kies een sortering uit de lijst: level, name, status of invited.")
	}
	return out, nil
}

func (h *Handler) roundOverview(c *fiber.Ctx) error {
	ctx := c.UserContext()
	role := roleOf(c)
	hidden := ""
	if role == models.RoleCommissie {
		hidden = principal(c).User.ID
	}
	rows, err := h.store.Candidates(ctx, roundOf(c).ID, hidden)
	if err != nil {
		return err
	}
	status := map[string]int{}
	for _, r := range rows {
		status[string(r.Status)]++
	}
	out := fiber.Map{"round": viewRound(roundOf(c)), "total": len(rows), "status": status}
	if role != models.RoleCommissie {
		return c.JSON(out)
	}
	vogs, err := h.store.RoundVOGs(ctx, roundOf(c).ID)
	if err != nil {
		return err
	}
	party, err := h.store.Party(ctx, partyOf(c))
	if err != nil {
		return err
	}
	levels := map[string]int{}
	for _, l := range questionnaires.Levels {
		levels[string(l)] = 0
	}
	vogCount := map[string]int{}
	proposals := 0
	for _, r := range rows {
		if r.Level != nil {
			levels[*r.Level]++
		} else {
			levels["geen_profiel"]++
		}
		var v *models.VOGRecord
		if rec, ok := vogs[r.ID]; ok {
			v = &rec
		}
		vogCount[models.VOGState(v, party.MaxVOGAgeDays, h.store.Now())]++
		if r.Decision != nil && r.Decision.Status == models.DecisionProposed {
			proposals++
		}
	}
	out["level"], out["vog"], out["proposals_waiting"] = levels, vogCount, proposals
	return c.JSON(out)
}

type rescreenRequest struct {
	Name       string   `json:"name" validate:"required,max=200"`
	Deadline   string   `json:"deadline" validate:"required,max=40"`
	Candidates []string `json:"candidates" validate:"max=1000"`
}

func (h *Handler) rescreen(c *fiber.Ctx) error {
	var req rescreenRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	deadline, ok := parseDeadline(req.Deadline)
	if !ok {
		return fieldErr("deadline", "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2027-01-31.")
	}
	r, cands, err := h.store.Rescreen(c.UserContext(), actor(c), roundOf(c), models.NewRescreen{Name: req.Name, Deadline: deadline, CandidateIDs: req.Candidates})
	if err != nil {
		return err
	}
	views := make([]BoardCandidateView, len(cands))
	for i, k := range cands {
		views[i] = boardView(k, nil, "")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"round": viewRound(r), "candidates": views})
}

// ---- party settings ----

func (h *Handler) getParty(c *fiber.Ctx) error {
	p, err := h.store.Party(c.UserContext(), partyOf(c))
	if err != nil {
		return err
	}
	return c.JSON(viewParty(p))
}

type partySettingsRequest struct {
	MaxVOGAgeDays          *int `json:"max_vog_age_days" validate:"omitempty,min=1,max=3650"`
	RetentionDecidedDays   *int `json:"retention_decided_days" validate:"omitempty,min=30,max=1825"`
	RetentionWithdrawnDays *int `json:"retention_withdrawn_days" validate:"omitempty,min=1,max=365"`
}

func (h *Handler) updateParty(c *fiber.Ctx) error {
	var req partySettingsRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if req.MaxVOGAgeDays != nil {
		if _, err := h.store.UpdateVOGAge(c.UserContext(), actor(c), partyOf(c), *req.MaxVOGAgeDays); err != nil {
			return err
		}
	}
	if err := h.store.UpdateRetention(c.UserContext(), actor(c), partyOf(c), req.RetentionDecidedDays, req.RetentionWithdrawnDays); err != nil {
		return err
	}
	return h.getParty(c)
}

// ---- decision: propose, confirm, reject ----

type decisionRequest struct {
	Outcome           string `json:"outcome" validate:"required,oneof=positief positief_met_voorwaarden negatief"`
	Reasons           string `json:"reasons" validate:"required,max=10000"`
	Conditions        string `json:"conditions" validate:"max=10000"`
	ReleaseToBoard    bool   `json:"release_to_board"`
	ReleaseConditions bool   `json:"release_conditions"`
}

func (h *Handler) decide(c *fiber.Ctx) error {
	var req decisionRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if req.Outcome == "positief_met_voorwaarden" && strings.TrimSpace(req.Conditions) == "" {
		return fieldErr("conditions", "Schrijf op welke voorwaarden gelden.")
	}
	if req.Outcome != "positief_met_voorwaarden" && req.Conditions != "" {
		return fieldErr("conditions", "Voorwaarden horen alleen bij positief_met_voorwaarden.")
	}
	k := candOf(c)
	d, err := h.store.ProposeDecision(c.UserContext(), actor(c), k, models.Proposal{Outcome: req.Outcome, Reasons: req.Reasons,
		Conditions: req.Conditions, ReleaseToBoard: req.ReleaseToBoard, ReleaseConditions: req.ReleaseConditions})
	if err != nil {
		return err
	}
	return h.decisionJSON(c, k, d, fiber.StatusCreated)
}

func (h *Handler) decisionJSON(c *fiber.Ctx, k *models.Candidate, d *models.Decision, status int) error {
	v := viewDecision(d)
	var err error
	if v.Reasons, v.Conditions, err = h.store.DecisionText(k, d); err != nil {
		return err
	}
	return c.Status(status).JSON(v)
}

func (h *Handler) getDecision(c *fiber.Ctx) error {
	k := candOf(c)
	d, err := h.store.LatestDecision(c.UserContext(), k)
	if err != nil {
		return err
	}
	if d == nil {
		return newErr(fiber.StatusNotFound, "geen_advies", "Er is nog geen advies of voorstel.")
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "decision.read"); err != nil {
		return err
	}
	return h.decisionJSON(c, k, d, fiber.StatusOK)
}

func (h *Handler) confirmDecision(c *fiber.Ctx) error {
	k := candOf(c)
	d, err := h.store.ConfirmDecision(c.UserContext(), actor(c), k)
	if err != nil {
		return err
	}
	return h.decisionJSON(c, k, d, fiber.StatusOK)
}

func (h *Handler) rejectDecision(c *fiber.Ctx) error {
	if err := h.store.RejectDecision(c.UserContext(), actor(c), candOf(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ---- hearing (hoor en wederhoor) ----

type hearingRequest struct {
	Flags   []string `json:"flags" validate:"required,min=1,max=100,dive,required,max=100"`
	Message string   `json:"message" validate:"required,max=5000"`
}

func (h *Handler) openHearing(c *fiber.Ctx) error {
	var req hearingRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	hv, err := h.store.OpenHearing(c.UserContext(), actor(c), candOf(c), req.Flags, req.Message)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(hv)
}

func (h *Handler) listHearings(c *fiber.Ctx) error {
	k := candOf(c)
	hs, err := h.store.Hearings(c.UserContext(), k)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "hearing.read"); err != nil {
		return err
	}
	return c.JSON(hs)
}

// candidateHearing is what the candidate sees: no committee member ids.
type candidateHearing struct {
	Flags     []models.HearingFlag `json:"flags"`
	Message   string               `json:"message"`
	OpenedAt  any                  `json:"opened_at"`
	ReplyDue  any                  `json:"reply_due"`
	Reply     *string              `json:"reply"`
	RepliedAt any                  `json:"replied_at"`
}

func (h *Handler) myHearing(c *fiber.Ctx) error {
	k, err := h.fresh(c)
	if err != nil {
		return err
	}
	hs, err := h.store.Hearings(c.UserContext(), k)
	if err != nil {
		return err
	}
	if len(hs) == 0 {
		return newErr(fiber.StatusNotFound, "geen_hoorzitting", "De selectiecommissie heeft u (nog) geen vragen gesteld.")
	}
	last := hs[len(hs)-1]
	return c.JSON(candidateHearing{Flags: last.Flags, Message: last.Message, OpenedAt: last.OpenedAt, ReplyDue: last.ReplyDue, Reply: last.Reply, RepliedAt: last.RepliedAt})
}

type hearingReplyRequest struct {
	Reply string `json:"reply" validate:"required,max=10000"`
}

func (h *Handler) replyHearing(c *fiber.Ctx) error {
	var req hearingReplyRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	k, err := h.fresh(c)
	if err != nil {
		return err
	}
	hv, err := h.store.ReplyHearing(c.UserContext(), k, req.Reply)
	if err != nil {
		return err
	}
	return c.JSON(candidateHearing{Flags: hv.Flags, Message: hv.Message, OpenedAt: hv.OpenedAt, ReplyDue: hv.ReplyDue, Reply: hv.Reply, RepliedAt: hv.RepliedAt})
}

// RoundRows lists a round's candidates with the request's filters and sort
// (level, status, vog, sort) for the committee or the board.
func (h *Handler) RoundRows(c *fiber.Ctx) ([]models.CandidateRow, error) { return h.roundRows(c) }

// ---- recusal ----

type recusalRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (h *Handler) recuse(c *fiber.Ctx) error {
	var req recusalRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.store.Recuse(c.UserContext(), actor(c), candOf(c), req.Reason); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"recused": true})
}

func (h *Handler) listRecusals(c *fiber.Ctx) error {
	rs, err := h.store.Recusals(c.UserContext(), candOf(c))
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), candOf(c), actor(c), "recusals.read"); err != nil {
		return err
	}
	return c.JSON(rs)
}

// ---- history ----

// HistoryEntry is one profile version with its changes.
type HistoryEntry struct {
	Version              int                     `json:"version"`
	Revision             int                     `json:"revision"`
	CompiledAt           any                     `json:"compiled_at"`
	Overall              string                  `json:"overall"`
	QuestionnaireVersion int                     `json:"questionnaire_version"`
	Current              bool                    `json:"current"`
	ComparedWith         string                  `json:"compared_with"`
	Changes              *questionnaires.Changes `json:"changes"`
}

// history lists every profile version with what changed against the one
// before (the first against the previous scan for a herhaalscan).
func (h *Handler) history(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := candOf(c)
	out, err := h.HistoryEntries(ctx, k)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(ctx, k, actor(c), "history.read"); err != nil {
		return err
	}
	return c.JSON(out)
}

// HistoryEntries is every profile version with what changed against the one
// before (the first against the previous scan for a herhaalscan).
func (h *Handler) HistoryEntries(ctx context.Context, k *models.Candidate) ([]HistoryEntry, error) {
	def, _, err := h.store.Definition(ctx, k)
	if err != nil {
		return nil, err
	}
	vs, err := h.store.ProfileHistory(ctx, k)
	if err != nil {
		return nil, err
	}
	prevScan, err := h.store.PreviousScanVersion(ctx, k)
	if err != nil {
		return nil, err
	}
	out := make([]HistoryEntry, 0, len(vs))
	for i, v := range vs {
		e := HistoryEntry{Version: i + 1, Revision: v.Record.Revision, CompiledAt: v.Record.CompiledAt, Overall: v.Record.Overall,
			QuestionnaireVersion: v.Record.QuestionnaireVersion, Current: v.Record.IsCurrent}
		var base *models.ProfileVersion
		switch {
		case i > 0:
			base, e.ComparedWith = &vs[i-1], "vorige_versie"
		case prevScan != nil:
			base, e.ComparedWith = prevScan, "vorige_scan"
		}
		if base != nil {
			// Versions stored before hidden answers were left out of the
			// compile may still hold some: the committee never sees them.
			ch := questionnaires.Diff(def, models.VisibleAnswers(def, base.Answers), models.VisibleAnswers(def, v.Answers), base.Profile, v.Profile)
			e.Changes = &ch
		}
		out = append(out, e)
	}
	return out, nil
}
