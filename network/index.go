package network

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// Member is a candidate in an open round, with the organisations from
// their answers (Extract).
type Member struct {
	CandidateID string
	PartyID     string
	RoundID     string
	Name        string
	Orgs        []Org
}

// Index maps normalised keys to the candidates that named them, per
// party. It is built incrementally (Put when a profile compiles, Remove
// when a candidate leaves the open rounds) and is safe for concurrent
// use. Looking up one candidate's overlaps costs a few map look-ups per
// organisation, not a scan of every answer.
//
// The municipality pseudo-organisation (G1) is not indexed: every
// candidate has a relation with the municipality.
type Index struct {
	mu      sync.RWMutex
	members map[string]*Member
	parties map[string]*partyIndex
}

type posting struct {
	m   *Member
	org int
}

type partyIndex struct {
	byKvK  map[string][]posting
	byName map[string][]posting
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{members: map[string]*Member{}, parties: map[string]*partyIndex{}}
}

// Put adds a candidate, replacing that candidate's earlier entries (also
// when the party or round changed). The index keeps m.Orgs; do not change
// it afterwards.
func (ix *Index) Put(m Member) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(m.CandidateID)
	mm := &m
	mm.Orgs = slices.Clip(m.Orgs)
	ix.members[m.CandidateID] = mm
	pi := ix.parties[m.PartyID]
	if pi == nil {
		pi = &partyIndex{byKvK: map[string][]posting{}, byName: map[string][]posting{}}
		ix.parties[m.PartyID] = pi
	}
	for i := range mm.Orgs {
		o := &mm.Orgs[i]
		if o.Municipality {
			continue
		}
		p := posting{m: mm, org: i}
		if o.Key.KvK != "" {
			pi.byKvK[o.Key.KvK] = append(pi.byKvK[o.Key.KvK], p)
		}
		if o.Key.Name != "" {
			pi.byName[o.Key.Name] = append(pi.byName[o.Key.Name], p)
		}
	}
}

// Remove drops a candidate from the index; unknown ids are ignored.
func (ix *Index) Remove(candidateID string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(candidateID)
}

// Len returns the number of candidates in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.members)
}

func (ix *Index) remove(id string) {
	old := ix.members[id]
	if old == nil {
		return
	}
	delete(ix.members, id)
	pi := ix.parties[old.PartyID]
	if pi == nil {
		return
	}
	drop := func(m map[string][]posting, k string) {
		ps, ok := m[k]
		if !ok {
			return
		}
		ps = slices.DeleteFunc(ps, func(p posting) bool { return p.m == old })
		if len(ps) == 0 {
			delete(m, k)
		} else {
			m[k] = ps
		}
	}
	for i := range old.Orgs {
		k := old.Orgs[i].Key
		if k.KvK != "" {
			drop(pi.byKvK, k.KvK)
		}
		if k.Name != "" {
			drop(pi.byName, k.Name)
		}
	}
	if len(pi.byKvK) == 0 && len(pi.byName) == 0 {
		delete(ix.parties, old.PartyID)
	}
}

// OtherRef is another candidate (of the same party) who named the
// organisation.
type OtherRef struct {
	CandidateID  string   `json:"candidate_id"`
	Name         string   `json:"name"`
	RoundID      string   `json:"round_id"`
	OrgName      string   `json:"org_name"` // how the other candidate wrote it
	Roles        []string `json:"roles"`
	Board        bool     `json:"board"`
	MunicipalTie bool     `json:"municipal_tie"`
	Ended        bool     `json:"ended"`
}

// Overlap is one of the candidate's organisations that other candidates
// of the same party also named.
type Overlap struct {
	Org      Org                  `json:"org"`
	Others   []OtherRef           `json:"others"`
	Severity questionnaires.Level `json:"severity"`
}

// Overlaps returns the candidate's organisations shared with other
// candidates of the same party in the index, in the order of the
// candidate's organisations; the others are sorted by name. hide (may be
// nil) leaves out other candidates, e.g. those the viewing committee
// member recused from. Overlaps never cross parties. An unknown candidate
// has no overlaps.
//
// Severity is oranje when this org or a matching org of another candidate
// has a tie with the municipality, or when two or more candidates
// (including this one) hold a current bestuur or toezicht role in it;
// otherwise info.
func (ix *Index) Overlaps(candidateID string, hide func(otherID string) bool) []Overlap {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	m := ix.members[candidateID]
	if m == nil {
		return nil
	}
	pi := ix.parties[m.PartyID]
	if pi == nil {
		return nil
	}
	var out []Overlap
	var hits []posting
	for i := range m.Orgs {
		o := &m.Orgs[i]
		if o.Municipality || o.Key.IsZero() {
			continue
		}
		hits = hits[:0]
		add := func(p posting) {
			if p.m == m || slices.Contains(hits, p) {
				return
			}
			if hide != nil && hide(p.m.CandidateID) {
				return
			}
			hits = append(hits, p)
		}
		if o.Key.KvK != "" {
			for _, p := range pi.byKvK[o.Key.KvK] {
				add(p)
			}
		}
		if o.Key.Name != "" {
			for _, p := range pi.byName[o.Key.Name] {
				if o.Key.Matches(p.m.Orgs[p.org].Key) {
					add(p)
				}
			}
		}
		if len(hits) == 0 {
			continue
		}
		out = append(out, buildOverlap(*o, hits))
	}
	return out
}

func buildOverlap(o Org, hits []posting) Overlap {
	var others []OtherRef
	pos := map[*Member]int{}
	for _, p := range hits {
		po := &p.m.Orgs[p.org]
		j, ok := pos[p.m]
		if !ok {
			j = len(others)
			pos[p.m] = j
			others = append(others, OtherRef{
				CandidateID: p.m.CandidateID, Name: p.m.Name, RoundID: p.m.RoundID,
				OrgName: po.Name, Ended: true,
			})
		}
		r := &others[j]
		for _, role := range po.Roles {
			if !containsStr(r.Roles, role) {
				r.Roles = append(r.Roles, role)
			}
		}
		r.Board = r.Board || po.Board
		r.MunicipalTie = r.MunicipalTie || po.MunicipalTie
		r.Ended = r.Ended && po.Ended
	}
	sort.SliceStable(others, func(a, b int) bool {
		if c := strings.Compare(others[a].Name, others[b].Name); c != 0 {
			return c < 0
		}
		return others[a].CandidateID < others[b].CandidateID
	})
	return Overlap{Org: o, Others: others, Severity: severity(o.MunicipalTie, o.Board, others)}
}

func severity(tie, board bool, others []OtherRef) questionnaires.Level {
	boards := 0
	if board {
		boards++
	}
	for _, r := range others {
		tie = tie || r.MunicipalTie
		if r.Board {
			boards++
		}
	}
	if tie || boards >= 2 {
		return questionnaires.LevelOranje
	}
	return questionnaires.LevelInfo
}
