package network

import (
	"strconv"
	"strings"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// Roles an organisation can have for a candidate. N1 and N2 use the rol
// option ids (bestuur, toezicht, advies, lid, vrijwilliger, overig); an
// N2 role gets the suffix RoleEndedSuffix. NT1 gives "werkgever " plus the
// relatie option id ("werkgever partner", "werkgever kind", …).
const (
	RoleEmployer     = "werkgever"      // K2: the candidate works there
	RoleBoard        = "bestuur"        // N1/N2 rol
	RoleSupervisory  = "toezicht"       // N1/N2 rol
	RoleShareholder  = "aandeelhouder"  // F1
	RoleFamilyFirm   = "familiebedrijf" // NT2_bedrijven
	RoleProcedure    = "procedure"      // G1
	RoleEndedSuffix  = " (gestopt)"     // N2: "bestuur (gestopt)"
	rolePartnerEmpl  = "werkgever "     // NT1 prefix
	municipalityName = "Gemeente"
)

// MunicipalityKey is the key of the pseudo-organisation that stands for
// the municipality itself (the G1 procedures have no organisation name).
// Normalize never produces a name with "#", so it cannot collide with an
// organisation called "Gemeente".
var MunicipalityKey = Key{Name: "#gemeente"}

// Tie kinds: what the answers say about the relation with the municipality.
const (
	TieWorksAt    = "werkt_bij_gemeente" // K2 bij_deze_gemeente
	TieRelation   = "relatie_gemeente"   // N1/N2/NT1 relatie_gemeente: subsidie, opdracht, vergunning (NT1: or works there)
	TieBusiness   = "zaken_met_gemeente" // F1 zaken_met_gemeente
	TieFamilyFirm = "familiebedrijf"     // NT2_bedrijven: the question itself says the firm has or asks for something; Detail = soort
	TieProcedure  = "procedure"          // G1: Detail = "soort, jaar, status"
)

// Tie is one statement in the answers that links an organisation to the
// municipality.
type Tie struct {
	Kind     string `json:"kind"`
	Detail   string `json:"detail,omitempty"` // option id(s) or "soort, jaar, status" for G1
	Question string `json:"question"`
	Item     int    `json:"item"`
	Past     bool   `json:"past,omitempty"` // from N2: the tie was there while the candidate held the function
}

// Label is a short Dutch description of the tie.
func (t Tie) Label() string {
	switch t.Kind {
	case TieWorksAt:
		return "werkt bij de gemeente"
	case TieRelation:
		if t.Question == "NT1" {
			return "gezinslid: band met de gemeente"
		}
		if t.Past {
			return "kreeg of vroeg subsidie, opdracht of vergunning"
		}
		return "subsidie, opdracht of vergunning"
	case TieBusiness:
		return "doet zaken met de gemeente"
	case TieFamilyFirm:
		if l, ok := firmSoort[t.Detail]; ok {
			return l
		}
		return "vergunning, subsidie of opdracht"
	case TieProcedure:
		if t.Detail != "" {
			return "aanvraag of procedure: " + t.Detail
		}
		return "aanvraag of procedure"
	}
	return t.Kind
}

var firmSoort = map[string]string{
	"vergunning": "vergunning", "subsidie": "subsidie", "opdracht": "opdracht",
	"meerdere": "vergunning, subsidie of opdracht",
}

var procSoort = map[string]string{
	"vergunning": "vergunning", "bestemmingswijziging": "wijziging bestemmingsplan",
	"exploitatie": "exploitatievergunning", "subsidie": "subsidie", "handhaving": "handhaving",
}

var procStatus = map[string]string{"lopend": "loopt nog", "afgerond": "afgerond"}

// Source is where an organisation was named: question id, item index
// (0-based) and the field that holds the name.
type Source struct {
	Question string `json:"question"`
	Item     int    `json:"item"`
	Field    string `json:"field"`
}

// Org is one organisation in a candidate's answers, merged over all the
// places where the candidate named it.
type Org struct {
	Key          Key      `json:"key"`
	Name         string   `json:"name"` // as the candidate wrote it (first occurrence)
	KvK          string   `json:"kvk,omitempty"`
	Roles        []string `json:"roles"`
	Sector       string   `json:"sector,omitempty"`
	Paid         *bool    `json:"paid,omitempty"`
	MunicipalTie bool     `json:"municipal_tie"`
	Ties         []Tie    `json:"ties,omitempty"`
	Board        bool     `json:"board"` // bestuur or toezicht in a current N1 function
	Ended        bool     `json:"ended"` // named only in N2 (ended in the last 5 years)
	Municipality bool     `json:"municipality,omitempty"`
	Sources      []Source `json:"sources"`
}

// Questions returns the distinct question ids of the org's sources, in
// order of first occurrence.
func (o *Org) Questions() []string {
	out := make([]string, 0, len(o.Sources))
	for _, s := range o.Sources {
		if !containsStr(out, s.Question) {
			out = append(out, s.Question)
		}
	}
	return out
}

// Extract lists the organisations in a candidate's answers:
//
//	K2 werkgever             role werkgever, paid (K2 asks for paid work), tie bij_deze_gemeente
//	N1 organisatie (+kvk)    role rol, betaald, tie relatie_gemeente; bestuur/toezicht → Board
//	N2 organisatie (+kvk)    role "rol (gestopt)", betaald, tie relatie_gemeente (Past)
//	F1 bedrijf (+kvk)        role aandeelhouder, sector, tie zaken_met_gemeente
//	NT1 werkgever            role "werkgever <relatie>", tie relatie_gemeente (items without werkgever are skipped)
//	NT2_bedrijven bedrijf    role familiebedrijf, always a tie (only read when NT2 is true, as its show_if says)
//	G1 (no name field)       the municipality pseudo-org (MunicipalityKey), role procedure, one tie per item
//
// Organisations that match (Key.Matches) are merged into one Org with the
// roles of each; a KvK number named later is added to the key. The order
// is stable: question order, then item order, by first occurrence.
// Items without a name are skipped. Malformed values are ignored.
func Extract(answers questionnaires.Answers) []Org {
	var x extractor
	for i, it := range listItems(answers["K2"]) {
		x.add(it, "K2", i, "werkgever", "", func(o *Org) {
			o.addRole(RoleEmployer)
			o.setPaid(true)
			if b, _ := it["bij_deze_gemeente"].(bool); b {
				o.addTie(Tie{Kind: TieWorksAt, Question: "K2", Item: i})
			}
		})
	}
	for _, q := range []string{"N1", "N2"} {
		ended := q == "N2"
		for i, it := range listItems(answers[q]) {
			x.add(it, q, i, "organisatie", "kvk", func(o *Org) {
				rol := str(it["rol"])
				if rol == "" {
					rol = "overig"
				}
				if ended {
					o.addRole(rol + RoleEndedSuffix)
				} else {
					o.addRole(rol)
					if rol == RoleBoard || rol == RoleSupervisory {
						o.Board = true
					}
				}
				if b, ok := it["betaald"].(bool); ok {
					o.setPaid(b)
				}
				if b, _ := it["relatie_gemeente"].(bool); b {
					o.addTie(Tie{Kind: TieRelation, Question: q, Item: i, Past: ended})
				}
			})
		}
	}
	for i, it := range listItems(answers["F1"]) {
		x.add(it, "F1", i, "bedrijf", "kvk", func(o *Org) {
			o.addRole(RoleShareholder)
			if o.Sector == "" {
				o.Sector = str(it["sector"])
			}
			if b, _ := it["zaken_met_gemeente"].(bool); b {
				o.addTie(Tie{Kind: TieBusiness, Question: "F1", Item: i})
			}
		})
	}
	for i, it := range listItems(answers["NT1"]) {
		x.add(it, "NT1", i, "werkgever", "", func(o *Org) {
			rel := str(it["relatie"])
			if rel == "" {
				rel = "gezinslid"
			}
			o.addRole(rolePartnerEmpl + rel)
			if b, _ := it["relatie_gemeente"].(bool); b {
				o.addTie(Tie{Kind: TieRelation, Question: "NT1", Item: i})
			}
		})
	}
	if b, _ := answers["NT2"].(bool); b {
		for i, it := range listItems(answers["NT2_bedrijven"]) {
			x.add(it, "NT2_bedrijven", i, "bedrijf", "", func(o *Org) {
				o.addRole(RoleFamilyFirm)
				o.addTie(Tie{Kind: TieFamilyFirm, Detail: str(it["soort"]), Question: "NT2_bedrijven", Item: i})
			})
		}
	}
	for i, it := range listItems(answers["G1"]) {
		o := x.municipality()
		o.addRole(RoleProcedure)
		o.Sources = append(o.Sources, Source{Question: "G1", Item: i, Field: "soort"})
		o.addTie(Tie{Kind: TieProcedure, Detail: procDetail(it), Question: "G1", Item: i})
	}
	return x.orgs
}

type extractor struct {
	orgs []Org
	muni int // index+1 of the municipality pseudo-org
}

func (x *extractor) add(it map[string]any, q string, i int, nameField, kvkField string, apply func(*Org)) {
	name := str(it[nameField])
	if name == "" {
		return
	}
	kvk := ""
	if kvkField != "" {
		kvk = str(it[kvkField])
	}
	k := Normalize(name, kvk)
	if k.Name == "" && k.KvK == "" {
		return
	}
	ended := q == "N2"
	var o *Org
	for j := range x.orgs {
		if !x.orgs[j].Municipality && x.orgs[j].Key.Matches(k) {
			o = &x.orgs[j]
			break
		}
	}
	if o == nil {
		x.orgs = append(x.orgs, Org{Key: k, Name: name, Ended: ended})
		o = &x.orgs[len(x.orgs)-1]
	} else if !ended {
		o.Ended = false
	}
	if o.Key.KvK == "" && k.KvK != "" {
		o.Key.KvK = k.KvK
	}
	if o.KvK == "" && kvk != "" {
		o.KvK = kvk
	}
	o.Sources = append(o.Sources, Source{Question: q, Item: i, Field: nameField})
	apply(o)
}

func (x *extractor) municipality() *Org {
	if x.muni == 0 {
		x.orgs = append(x.orgs, Org{Key: MunicipalityKey, Name: municipalityName, Municipality: true})
		x.muni = len(x.orgs)
	}
	return &x.orgs[x.muni-1]
}

func (o *Org) addRole(r string) {
	if !containsStr(o.Roles, r) {
		o.Roles = append(o.Roles, r)
	}
}

func (o *Org) addTie(t Tie) {
	o.Ties = append(o.Ties, t)
	o.MunicipalTie = true
}

// setPaid records a paid/unpaid statement; paid wins over unpaid.
func (o *Org) setPaid(b bool) {
	if o.Paid == nil {
		o.Paid = new(b)
		return
	}
	if b && !*o.Paid {
		*o.Paid = true
	}
}

func procDetail(it map[string]any) string {
	var parts []string
	if s := str(it["soort"]); s != "" {
		if l, ok := procSoort[s]; ok {
			s = l
		}
		parts = append(parts, s)
	}
	if n, ok := number(it["jaar"]); ok {
		parts = append(parts, strconv.FormatFloat(n, 'f', -1, 64))
	}
	if s := str(it["status"]); s != "" {
		if l, ok := procStatus[s]; ok {
			s = l
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// listItems returns the items of a list answer ([]any of map[string]any,
// as JSON decoding gives; []map[string]any is accepted too). An item that
// is not an object becomes nil, so item indexes stay those of the answer.
func listItems(v any) []map[string]any {
	switch l := v.(type) {
	case []map[string]any:
		return l
	case []any:
		out := make([]map[string]any, len(l))
		for i, x := range l {
			out[i], _ = x.(map[string]any)
		}
		return out
	}
	return nil
}

func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
