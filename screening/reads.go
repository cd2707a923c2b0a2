package screening

import (
	"context"
	"strings"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/network"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The committee's reads that combine stored parts: the profile with the
// overlaps this viewer may see, the network and its maps, the history of
// profile versions. The API and the pages show the same.

// WithOverlaps adds the flags computed when a file is read to a stored
// profile, for this viewer: the shared-organisation flags (netwerk), so
// that a member who recused from another candidate never sees that
// candidate named, and the findings of the committee's open-source
// research (openbronnen, marked Source "commissie"). Both count in their
// domain's level and the overall level shown to the committee; the stored
// level (the round list, the board's nothing) is the candidate's own.
func (s *Service) WithOverlaps(ctx context.Context, k *models.Candidate, viewerID string, p *questionnaires.Profile) (*questionnaires.Profile, error) {
	ov, err := s.store.Overlaps(ctx, k, viewerID)
	if err != nil {
		return nil, err
	}
	found, err := s.sourceFlags(ctx, k)
	if err != nil {
		return nil, err
	}
	return withFlags(withFlags(p, "netwerk", network.OverlapFlags(ov)), models.DomainOpenSources, found), nil
}

// withFlags is p with flags added to one domain (p itself when there are none).
func withFlags(p *questionnaires.Profile, domain string, flags []questionnaires.Flag) *questionnaires.Profile {
	if len(flags) == 0 {
		return p
	}
	out := *p
	out.Flags = append(append([]questionnaires.Flag{}, p.Flags...), flags...)
	out.Domains = map[string]questionnaires.DomainResult{}
	for d, r := range p.Domains {
		out.Domains[d] = r
	}
	nd := out.Domains[domain]
	if nd.Level == "" {
		nd.Level = questionnaires.LevelGeen
	}
	nd.Flags = append(append([]questionnaires.Flag{}, nd.Flags...), flags...)
	for _, f := range flags {
		nd.Level = nd.Level.Max(f.Severity)
		out.Overall = out.Overall.Max(f.Severity)
	}
	out.Domains[domain] = nd
	return &out
}

type NetworkView struct {
	Organisations []network.Org         `json:"organisations"`
	Overlaps      []network.Overlap     `json:"overlaps"`
	Flags         []questionnaires.Flag `json:"flags"`
	Graph         network.GraphModel    `json:"graph"`
}

// Network is a candidate's network for the committee: organisations,
// overlaps with other candidates (minus recused files) and the map model.
func (s *Service) Network(ctx context.Context, k *models.Candidate, viewerID string) (*NetworkView, error) {
	orgs, err := s.store.Network(ctx, k)
	if err != nil {
		return nil, err
	}
	ov, err := s.store.Overlaps(ctx, k, viewerID)
	if err != nil {
		return nil, err
	}
	var flags []questionnaires.Flag
	if p, _, err := s.store.Profile(ctx, k); err == nil {
		if merged, err := s.WithOverlaps(ctx, k, viewerID, p); err == nil {
			flags = merged.Flags
		}
	}
	if orgs == nil {
		orgs = []network.Org{}
	}
	if ov == nil {
		ov = []network.Overlap{}
	}
	return &NetworkView{Organisations: orgs, Overlaps: ov, Flags: network.OverlapFlags(ov), Graph: network.Graph(k.Name, orgs, flags)}, nil
}

// RoundNetwork is the round map: candidates and the organisations two or
// more of them share (files the viewer recused from are left out).
func (s *Service) RoundNetwork(ctx context.Context, r *models.Round, viewerID string) (network.GraphModel, error) {
	rows, err := s.store.Candidates(ctx, r.ID, viewerID)
	if err != nil {
		return network.GraphModel{}, err
	}
	levels := map[string]questionnaires.Level{}
	for i := range rows {
		if rows[i].Level != nil {
			levels["kandidaat-"+rows[i].ID] = questionnaires.Level(*rows[i].Level)
		}
	}
	members, err := s.store.RoundNetworks(ctx, r.ID, viewerID)
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

// AuditRoundNetwork logs a read of the network of every candidate the
// round map shows (in each of their files' access logs).
func (s *Service) AuditRoundNetwork(ctx context.Context, r *models.Round, a models.Actor, g network.GraphModel) error {
	var ids []string
	for _, n := range g.Nodes {
		if id, ok := strings.CutPrefix(n.ID, "kandidaat-"); ok && n.Kind == network.KindCandidate {
			ids = append(ids, id)
		}
	}
	return s.store.AuditReads(ctx, r.PartyID, ids, a, "network.read")
}

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

// HistoryEntries is every profile version with what changed against the one
// before (the first against the previous scan for a herhaalscan).
func (s *Service) HistoryEntries(ctx context.Context, k *models.Candidate) ([]HistoryEntry, error) {
	def, _, err := s.store.Definition(ctx, k)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.ProfileHistory(ctx, k)
	if err != nil {
		return nil, err
	}
	prevScan, err := s.store.PreviousScanVersion(ctx, k)
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
