package api

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/questionnaires"
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
	hist, err := h.HistoryEntries(ctx, k)
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
	merged, err := h.WithOverlaps(ctx, k, principal(c).User.ID, p)
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
	return c.JSON(committeeView(k, nil, ""))
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

// WithOverlaps adds the shared-organisation flags (netwerk) to a stored
// profile for this viewer: they are computed when read, so that a member
// who recused from another candidate never sees that candidate named.
func (h *Handler) WithOverlaps(ctx context.Context, k *models.Candidate, viewerID string, p *questionnaires.Profile) (*questionnaires.Profile, error) {
	ov, err := h.store.Overlaps(ctx, k, viewerID)
	if err != nil {
		return nil, err
	}
	flags := network.OverlapFlags(ov)
	if len(flags) == 0 {
		return p, nil
	}
	out := *p
	out.Flags = append(append([]questionnaires.Flag{}, p.Flags...), flags...)
	out.Domains = map[string]questionnaires.DomainResult{}
	for d, r := range p.Domains {
		out.Domains[d] = r
	}
	nd := out.Domains["netwerk"]
	nd.Flags = append(append([]questionnaires.Flag{}, nd.Flags...), flags...)
	for _, f := range flags {
		nd.Level = nd.Level.Max(f.Severity)
		out.Overall = out.Overall.Max(f.Severity)
	}
	out.Domains["netwerk"] = nd
	return &out, nil
}

type networkView struct {
	Organisations []network.Org         `json:"organisations"`
	Overlaps      []network.Overlap     `json:"overlaps"`
	Flags         []questionnaires.Flag `json:"flags"`
	Graph         network.GraphModel    `json:"graph"`
}

// Network is a candidate's network for the committee: organisations,
// overlaps with other candidates (minus recused files) and the map model.
func (h *Handler) Network(ctx context.Context, k *models.Candidate, viewerID string) (*networkView, error) {
	orgs, err := h.store.Network(ctx, k)
	if err != nil {
		return nil, err
	}
	ov, err := h.store.Overlaps(ctx, k, viewerID)
	if err != nil {
		return nil, err
	}
	var flags []questionnaires.Flag
	if p, _, err := h.store.Profile(ctx, k); err == nil {
		if merged, err := h.WithOverlaps(ctx, k, viewerID, p); err == nil {
			flags = merged.Flags
		}
	}
	if orgs == nil {
		orgs = []network.Org{}
	}
	if ov == nil {
		ov = []network.Overlap{}
	}
	return &networkView{Organisations: orgs, Overlaps: ov, Flags: network.OverlapFlags(ov), Graph: network.Graph(k.Name, orgs, flags)}, nil
}

func (h *Handler) getNetwork(c *fiber.Ctx) error {
	k := candOf(c)
	v, err := h.Network(c.UserContext(), k, principal(c).User.ID)
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
	v, err := h.Network(c.UserContext(), k, principal(c).User.ID)
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

// RoundNetwork is the round map: candidates and the organisations two or
// more of them share (files the viewer recused from are left out).
func (h *Handler) RoundNetwork(ctx context.Context, r *models.Round, viewerID string) (network.GraphModel, error) {
	rows, err := h.store.Candidates(ctx, r.ID, viewerID)
	if err != nil {
		return network.GraphModel{}, err
	}
	levels := map[string]questionnaires.Level{}
	for i := range rows {
		if rows[i].Level != nil {
			levels["kandidaat-"+rows[i].ID] = questionnaires.Level(*rows[i].Level)
		}
	}
	members, err := h.store.RoundNetworks(ctx, r.ID, viewerID)
	if err != nil {
		return network.GraphModel{}, err
	}
	g := network.RoundGraph(members)
	for i, n := range g.Nodes {
		if l, ok := levels[n.ID]; ok && n.Kind == network.KindCandidate {
			g.Nodes[i].Level = l // the candidate's own overall level
		}
	}
	return g, nil
}

func (h *Handler) getRoundNetwork(c *fiber.Ctx) error {
	g, err := h.RoundNetwork(c.UserContext(), roundOf(c), principal(c).User.ID)
	if err != nil {
		return err
	}
	if err := h.AuditRoundNetwork(c.UserContext(), roundOf(c), actor(c), g); err != nil {
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

// AuditRoundNetwork logs a read of the network of every candidate the
// round map shows (in each of their files' access logs).
func (h *Handler) AuditRoundNetwork(ctx context.Context, r *models.Round, a models.Actor, g network.GraphModel) error {
	var ids []string
	for _, n := range g.Nodes {
		if id, ok := strings.CutPrefix(n.ID, "kandidaat-"); ok && n.Kind == network.KindCandidate {
			ids = append(ids, id)
		}
	}
	return h.store.AuditReads(ctx, r.PartyID, ids, a, "network.read")
}
