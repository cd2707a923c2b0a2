package screening

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// Viewer is who reads a list: the role decides what may be asked and
// shown; a committee member never sees files they recused from.
type Viewer struct {
	Role   string
	UserID string
}

func (v Viewer) hidden() string {
	if v.Role == models.RoleCommissie {
		return v.UserID
	}
	return ""
}

// RoundQuery filters and sorts a round's list. Each filter is a comma
// separated list; level and VOG are the committee's only. WithVOG asks for
// each row's VOG state (the committee's round page shows it); it costs a
// decryption per file, so the API's list reads the VOGs only to filter.
type RoundQuery struct {
	Level, VOG, Status, Sort string
	WithVOG                  bool
}

// ErrCommitteeFilter: the board asked for what only the committee may know.
var ErrCommitteeFilter = &Error{Kind: Forbidden, Code: "geen_toegang", Message: "Uw rol geeft geen toegang tot deze handeling."}

// Row is one file of a round's list; VOG is its state as the committee
// sees it (with "verlopen"), empty for the board and unless asked for.
type Row struct {
	models.CandidateRow
	VOG string
}

// RoundRows lists a round's candidates with the query's filters and sort,
// for the API and the pages alike.
func (s *Service) RoundRows(ctx context.Context, v Viewer, r *models.Round, q RoundQuery) ([]Row, error) {
	if v.Role != models.RoleCommissie && (q.Level != "" || q.VOG != "" || q.Sort == "level") {
		return nil, ErrCommitteeFilter
	}
	switch q.Sort {
	case "", "invited", "level", "name", "status":
	default:
		return nil, fieldErr("sort", "Kies een sortering uit de lijst: level, name, status of invited.")
	}
	rows, err := s.store.Candidates(ctx, r.ID, v.hidden())
	if err != nil {
		return nil, err
	}
	var vogs map[string]models.VOGRecord
	maxAge := 0
	needVOG := v.Role == models.RoleCommissie && (q.VOG != "" || q.WithVOG)
	if needVOG {
		if vogs, err = s.store.RoundVOGs(ctx, r.ID); err != nil {
			return nil, err
		}
		party, err := s.store.Party(ctx, r.PartyID)
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
	levels, vogStates, statuses := split(q.Level), split(q.VOG), split(q.Status)
	now := s.store.Now()
	out := make([]Row, 0, len(rows))
	for _, row := range rows {
		if len(statuses) > 0 && !slices.Contains(statuses, string(row.Status)) {
			continue
		}
		if len(levels) > 0 && !slices.Contains(levels, LevelOf(row.Level)) {
			continue
		}
		vog := ""
		if needVOG {
			vog = models.VOGState(vogOf(vogs, row.ID), maxAge, now)
		}
		if len(vogStates) > 0 && !slices.Contains(vogStates, vog) {
			continue
		}
		out = append(out, Row{CandidateRow: row, VOG: vog})
	}
	sortBy := q.Sort
	if sortBy == "" && v.Role == models.RoleCommissie {
		sortBy = "level" // the files that need most attention first
	}
	switch sortBy {
	case "level":
		sort.SliceStable(out, func(i, j int) bool { return levelRank(out[i].Level) > levelRank(out[j].Level) })
	case "name":
		sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	case "status":
		sort.SliceStable(out, func(i, j int) bool { return out[i].Status < out[j].Status })
	}
	return out, nil
}

// LevelOf names a row's level, "geen_profiel" before the first profile.
func LevelOf(l *string) string {
	if l == nil {
		return "geen_profiel"
	}
	return *l
}

func levelRank(l *string) int {
	if l == nil {
		return -1
	}
	return questionnaires.Level(*l).Rank()
}

func vogOf(vogs map[string]models.VOGRecord, id string) *models.VOGRecord {
	if rec, ok := vogs[id]; ok {
		return &rec
	}
	return nil
}

// Overview counts a round's files by status and, for the committee, by
// level and VOG state, with the proposals that wait for a second member.
type Overview struct {
	Total            int
	Status           map[string]int
	Level            map[string]int
	VOG              map[string]int
	ProposalsWaiting int
}

// RoundOverview counts a round for the viewer.
func (s *Service) RoundOverview(ctx context.Context, v Viewer, r *models.Round) (*Overview, error) {
	rows, err := s.store.Candidates(ctx, r.ID, v.hidden())
	if err != nil {
		return nil, err
	}
	out := &Overview{Total: len(rows), Status: map[string]int{}}
	for _, row := range rows {
		out.Status[string(row.Status)]++
	}
	if v.Role != models.RoleCommissie {
		return out, nil
	}
	vogs, err := s.store.RoundVOGs(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	party, err := s.store.Party(ctx, r.PartyID)
	if err != nil {
		return nil, err
	}
	out.Level, out.VOG = map[string]int{}, map[string]int{}
	for _, l := range questionnaires.Levels {
		out.Level[string(l)] = 0
	}
	now := s.store.Now()
	for _, row := range rows {
		out.Level[LevelOf(row.Level)]++
		out.VOG[models.VOGState(vogOf(vogs, row.ID), party.MaxVOGAgeDays, now)]++
		if row.Decision != nil && row.Decision.Status == models.DecisionProposed {
			out.ProposalsWaiting++
		}
	}
	return out, nil
}
