package network

import (
	"strconv"
	"strings"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// Node kinds.
const (
	KindCandidate    = "kandidaat"
	KindOrg          = "organisatie"
	KindMunicipality = "gemeente"
)

// Node is a point on the map. Level is the worst flag level that concerns
// it (geen when none).
type Node struct {
	ID    string               `json:"id"`
	Label string               `json:"label"`
	Kind  string               `json:"kind"`
	Level questionnaires.Level `json:"level"`
}

// Edge is a labelled line between two nodes.
type Edge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label"`
}

// GraphModel is a plain map model; drawing it is left to the renderer.
type GraphModel struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// Node ids used by Graph.
const (
	nodeSelf         = "kandidaat"
	nodeMunicipality = "gemeente"
)

// Graph builds one candidate's map: the candidate (id "kandidaat", label
// self) in the middle, an "organisatie" node per organisation (ids
// "org-1", "org-2", … in the order of orgs) with one edge per role
// labelled by RoleLabel, and a "gemeente" node when any organisation has a
// tie with the municipality (edge org → gemeente per distinct tie label)
// or the candidate named G1 procedures (edge kandidaat → gemeente per
// procedure).
//
// Levels. The candidate node gets the worst level of all flags. An
// organisation node gets the worst level of the flags that concern it.
// Heuristic: a flag concerns an organisation when the flag's question ids
// include a question where the candidate named that organisation (its
// Sources). Catalogue rules look at whole list questions, so a flag on N1
// marks every N1 organisation, also one without the property the rule
// tests (coarse, but never misses). Exception: a netwerk-overlap flag
// (OverlapFlags puts the organisation name in Excerpts) only concerns the
// organisation with exactly that name, so it marks the one shared
// organisation. The gemeente node gets the flags that concern the G1
// pseudo-organisation.
func Graph(self string, orgs []Org, flags []questionnaires.Flag) GraphModel {
	g := GraphModel{Nodes: []Node{}, Edges: []Edge{}}
	top := questionnaires.LevelGeen
	for _, f := range flags {
		if f.Severity.Valid() {
			top = top.Max(f.Severity)
		}
	}
	g.Nodes = append(g.Nodes, Node{ID: nodeSelf, Label: self, Kind: KindCandidate, Level: top})
	muni := Node{ID: nodeMunicipality, Label: municipalityName, Kind: KindMunicipality, Level: questionnaires.LevelGeen}
	needMuni := false
	var muniEdges []Edge
	for i := range orgs {
		o := &orgs[i]
		lvl := orgLevel(o, flags)
		if o.Municipality {
			needMuni = true
			muni.Level = muni.Level.Max(lvl)
			for _, t := range o.Ties {
				g.Edges = append(g.Edges, Edge{From: nodeSelf, To: nodeMunicipality, Label: t.Label()})
			}
			continue
		}
		id := "org-" + strconv.Itoa(i+1)
		g.Nodes = append(g.Nodes, Node{ID: id, Label: o.Name, Kind: KindOrg, Level: lvl})
		for _, r := range o.Roles {
			g.Edges = append(g.Edges, Edge{From: nodeSelf, To: id, Label: RoleLabel(r)})
		}
		var seen []string
		for _, t := range o.Ties {
			l := t.Label()
			if containsStr(seen, l) {
				continue
			}
			seen = append(seen, l)
			needMuni = true
			muniEdges = append(muniEdges, Edge{From: id, To: nodeMunicipality, Label: l})
		}
	}
	if needMuni {
		g.Nodes = append(g.Nodes, muni)
		g.Edges = append(g.Edges, muniEdges...)
	}
	return g
}

// orgLevel is the worst level of the flags that concern o (see Graph).
func orgLevel(o *Org, flags []questionnaires.Flag) questionnaires.Level {
	lvl := questionnaires.LevelGeen
	for _, f := range flags {
		if f.Severity.Valid() && concerns(&f, o) {
			lvl = lvl.Max(f.Severity)
		}
	}
	return lvl
}

func concerns(f *questionnaires.Flag, o *Org) bool {
	for _, q := range f.Questions {
		for _, s := range o.Sources {
			if s.Question != q {
				continue
			}
			if ex, ok := f.Excerpts[q]; ok && f.Rule == RuleOverlap && !o.Municipality {
				if ex == o.Name {
					return true
				}
				continue
			}
			return true
		}
	}
	return false
}

// RoundGraph builds the map of a round: a node per candidate (ids
// "kandidaat-<CandidateID>", in the order given) and a node per
// organisation that two or more candidates of the same party named (ids
// "org-1", … in order of first occurrence, labelled as the first
// candidate wrote it), with one edge per candidate and organisation
// labelled by the candidate's roles. Organisations are grouped as the
// connected parts of Key.Matches, per party: never across parties. The
// municipality pseudo-organisation is left out. An organisation node is
// oranje when any candidate's entry has a tie with the municipality or two
// or more of them hold a current bestuur or toezicht role, else info;
// candidate nodes are geen (their profile levels are not known here).
// Callers leave out the candidates the viewer may not see.
func RoundGraph(members []Member) GraphModel {
	g := GraphModel{Nodes: []Node{}, Edges: []Edge{}}
	type occ struct{ m, o int }
	var occs []occ
	byKvK := map[string]int{}    // party \x00 kvk → first occurrence
	byName := map[string][]int{} // party \x00 name → occurrences
	parent := []int{}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	}
	for mi := range members {
		m := &members[mi]
		g.Nodes = append(g.Nodes, Node{ID: "kandidaat-" + m.CandidateID, Label: m.Name, Kind: KindCandidate, Level: questionnaires.LevelGeen})
		for oi := range m.Orgs {
			o := &m.Orgs[oi]
			if o.Municipality || o.Key.IsZero() {
				continue
			}
			n := len(occs)
			occs = append(occs, occ{mi, oi})
			parent = append(parent, n)
			if o.Key.KvK != "" {
				k := m.PartyID + "\x00" + o.Key.KvK
				if first, ok := byKvK[k]; ok {
					union(first, n)
				} else {
					byKvK[k] = n
				}
			}
			if o.Key.Name != "" {
				k := m.PartyID + "\x00" + o.Key.Name
				for _, e := range byName[k] {
					eo := &members[occs[e].m].Orgs[occs[e].o]
					if o.Key.Matches(eo.Key) {
						union(e, n)
					}
				}
				byName[k] = append(byName[k], n)
			}
		}
	}
	// Group occurrences by cluster, in order of first occurrence.
	type cluster struct {
		occs  []int
		cands []int
	}
	var order []int
	clusters := map[int]*cluster{}
	for n := range occs {
		r := find(n)
		c := clusters[r]
		if c == nil {
			c = &cluster{}
			clusters[r] = c
			order = append(order, r)
		}
		c.occs = append(c.occs, n)
		if mi := occs[n].m; !containsInt(c.cands, mi) {
			c.cands = append(c.cands, mi)
		}
	}
	num := 0
	for _, r := range order {
		c := clusters[r]
		if len(c.cands) < 2 {
			continue
		}
		num++
		id := "org-" + strconv.Itoa(num)
		first := occs[c.occs[0]]
		node := Node{ID: id, Label: members[first.m].Orgs[first.o].Name, Kind: KindOrg}
		tie := false
		var boards []int
		for _, mi := range c.cands {
			var roles []string
			for _, n := range c.occs {
				if occs[n].m != mi {
					continue
				}
				o := &members[mi].Orgs[occs[n].o]
				tie = tie || o.MunicipalTie
				if o.Board && !containsInt(boards, mi) {
					boards = append(boards, mi)
				}
				for _, role := range o.Roles {
					if l := RoleLabel(role); !containsStr(roles, l) {
						roles = append(roles, l)
					}
				}
			}
			g.Edges = append(g.Edges, Edge{From: "kandidaat-" + members[mi].CandidateID, To: id, Label: strings.Join(roles, ", ")})
		}
		node.Level = questionnaires.LevelInfo
		if tie || len(boards) >= 2 {
			node.Level = questionnaires.LevelOranje
		}
		g.Nodes = append(g.Nodes, node)
	}
	return g
}

func containsInt(l []int, x int) bool {
	for _, y := range l {
		if y == x {
			return true
		}
	}
	return false
}
