package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/screening"
)

func (h *Handler) getProfile(c *fiber.Ctx) error {
	k := candOf(c)
	ctx := c.UserContext()
	p, rec, err := h.store.Profile(ctx, k)
	if err != nil {
		return err
	}
	hearings, err := h.store.Hearings(ctx, k)
	if err != nil {
		return err
	}
	hist, err := h.app.HistoryEntries(ctx, k)
	if err != nil {
		return err
	}
	var changes any
	if n := len(hist); n > 0 && hist[n-1].Changes != nil {
		changes = fiber.Map{"compared_with": hist[n-1].ComparedWith, "changes": hist[n-1].Changes}
	}
	if err := h.store.AuditRead(ctx, k, actor(c), "profile.read"); err != nil {
		return err
	}
	merged, err := h.app.WithOverlaps(ctx, k, principal(c).User.ID, p)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{
		"hearings": hearings, "changes": changes,
		"candidate_id": k.ID, "overall": merged.Overall, "domains": merged.Domains, "flags": merged.Flags,
		"compiled_at": p.CompiledAt, "questionnaire_version": p.QuestionnaireVersion, "revision": rec.Revision,
		"current": rec.Revision == k.Revision,
	})
}

func (h *Handler) getAnswers(c *fiber.Ctx) error {
	k := candOf(c)
	ctx := c.UserContext()
	def, _, err := h.store.Definition(ctx, k)
	if err != nil {
		return err
	}
	ans, ok, err := h.store.SubmittedAnswers(ctx, k)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNoAnswers
	}
	if err := h.store.AuditRead(ctx, k, actor(c), "answers.read"); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"candidate_id": k.ID, "questionnaire": def.ID, "questionnaire_version": def.Version, "answers": ans, "submitted_at": k.SubmittedAt})
}

// ErrNoAnswers: the file has no submitted answers (yet) for the committee.
var ErrNoAnswers = screening.ErrNoAnswers

type vogView struct {
	Status           string    `json:"status"`
	Expired          bool      `json:"verlopen"`
	KlaargezetOn     *string   `json:"klaargezet_on"`
	RequestedOn      *string   `json:"requested_on"`
	IssuedOn         *string   `json:"issued_on"`
	ScreeningProfile string    `json:"screening_profile"`
	ValidatedBy      *string   `json:"validated_by"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func (h *Handler) viewVOG(ctx context.Context, k *models.Candidate, v *models.VOGRecord) (vogView, error) {
	if v == nil {
		return vogView{Status: "niet_gevraagd", ScreeningProfile: models.DefaultScreeningProfile}, nil
	}
	p, err := h.store.Party(ctx, k.PartyID)
	if err != nil {
		return vogView{}, err
	}
	return vogView{Status: v.Status, Expired: models.VOGExpired(v, p.MaxVOGAgeDays, h.store.Now()), KlaargezetOn: v.KlaargezetOn,
		RequestedOn: v.RequestedOn, IssuedOn: v.IssuedOn, ScreeningProfile: v.ScreeningProfile, ValidatedBy: v.ValidatedBy, UpdatedAt: v.UpdatedAt}, nil
}

func (h *Handler) getVOG(c *fiber.Ctx) error {
	k := candOf(c)
	v, err := h.store.VOG(c.UserContext(), k)
	if err != nil {
		return err
	}
	out, err := h.viewVOG(c.UserContext(), k, v)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "vog.read"); err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) putVOG(c *fiber.Ctx) error {
	var req screening.VOGRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	ctx := c.UserContext()
	rec, cand, err := h.app.SetVOG(ctx, actor(c), candOf(c), req)
	if err != nil {
		return err
	}
	out, err := h.viewVOG(ctx, cand, rec)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) addNote(c *fiber.Ctx) error {
	var req screening.NoteRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	n, err := h.app.AddNote(c.UserContext(), actor(c), candOf(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(n)
}

func (h *Handler) listNotes(c *fiber.Ctx) error {
	k := candOf(c)
	ns, err := h.store.Notes(c.UserContext(), k)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "notes.read"); err != nil {
		return err
	}
	return c.JSON(ns)
}

func (h *Handler) reopen(c *fiber.Ctx) error {
	var req screening.ReopenRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	k, err := h.app.Reopen(c.UserContext(), actor(c), candOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(screening.CommitteeView(k, nil, ""))
}

type auditView struct {
	At        time.Time `json:"at"`
	ActorID   string    `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	ActorRole string    `json:"actor_role"`
	Action    string    `json:"action"`
}

func (h *Handler) auditViews(ctx context.Context, k *models.Candidate) ([]auditView, error) {
	evs, err := h.store.AuditEvents(ctx, k.ID)
	if err != nil {
		return nil, err
	}
	names := h.store.ActorNames(ctx, evs)
	out := make([]auditView, len(evs))
	for i, e := range evs {
		out[i] = auditView{At: e.CreatedAt, ActorID: e.ActorID, ActorName: names[e.ActorID], ActorRole: e.ActorRole, Action: e.Action}
	}
	return out, nil
}

func (h *Handler) candidateAudit(c *fiber.Ctx) error {
	// Logged before it is read, so the log lists this read too.
	if err := h.store.AuditRead(c.UserContext(), candOf(c), actor(c), "audit.read"); err != nil {
		return err
	}
	out, err := h.auditViews(c.UserContext(), candOf(c))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) getNetwork(c *fiber.Ctx) error {
	k := candOf(c)
	v, err := h.app.Network(c.UserContext(), k, principal(c).User.ID)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "network.read"); err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) getNetworkSVG(c *fiber.Ctx) error {
	k := candOf(c)
	v, err := h.app.Network(c.UserContext(), k, principal(c).User.ID)
	if err != nil {
		return err
	}
	svg, err := network.SVG(c.UserContext(), v.Graph)
	if err != nil {
		return err
	}
	if err := h.store.AuditRead(c.UserContext(), k, actor(c), "network.read"); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	return c.Send(svg)
}

func (h *Handler) getRoundNetwork(c *fiber.Ctx) error {
	g, err := h.app.RoundNetwork(c.UserContext(), roundOf(c), principal(c).User.ID)
	if err != nil {
		return err
	}
	if err := h.app.AuditRoundNetwork(c.UserContext(), roundOf(c), actor(c), g); err != nil {
		return err
	}
	if c.Query("formaat") == "svg" {
		svg, err := network.SVG(c.UserContext(), g)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
		return c.Send(svg)
	}
	return c.JSON(g)
}
