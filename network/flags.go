package network

import (
	"fmt"
	"strings"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// Flag identity of the overlaps.
const (
	RuleOverlap   = "netwerk-overlap"
	DomainNetwork = "netwerk"
)

const overlapWhy = "Kandidaten die bij dezelfde organisatie actief zijn, kunnen elkaar steunen of samen een belang hebben. " +
	"Dat is geen bezwaar. Maar de commissie wil het weten, bijvoorbeeld voor de lijst en voor de fractie later."

var roleLabels = map[string]string{
	RoleEmployer:    "werkt er",
	RoleBoard:       "bestuur",
	RoleSupervisory: "toezicht",
	"advies":        "advies",
	"lid":           "lid",
	"vrijwilliger":  "vrijwilliger",
	"overig":        "andere rol",
	RoleShareholder: "aandeelhouder",
	RoleFamilyFirm:  "bedrijf van familie of vriend",
	RoleProcedure:   "aanvraag of procedure",
}

// relLabels are the NT1 relatie options, for "werkgever <relatie>".
var relLabels = map[string]string{
	"partner":    "partner",
	"kind":       "kind",
	"ouder":      "ouder",
	"broer_zus":  "broer of zus",
	"huisgenoot": "huisgenoot",
	"gezinslid":  "gezinslid",
}

// RoleLabel returns the Dutch label of a role as used in findings and on
// the map: "werkgever" → "werkt er", "werkgever partner" → "partner werkt
// er", "bestuur (gestopt)" → "bestuur (gestopt)".
func RoleLabel(role string) string {
	if base, ok := strings.CutSuffix(role, RoleEndedSuffix); ok {
		return RoleLabel(base) + RoleEndedSuffix
	}
	if rel, ok := strings.CutPrefix(role, rolePartnerEmpl); ok {
		if l, ok := relLabels[rel]; ok {
			rel = l
		}
		return rel + " werkt er"
	}
	if l, ok := roleLabels[role]; ok {
		return l
	}
	return role
}

// directRole reports whether the role is the candidate's own current
// activity (not a family member's employer, a family firm or an ended
// function).
func directRole(role string) bool {
	switch {
	case strings.HasSuffix(role, RoleEndedSuffix), strings.HasPrefix(role, rolePartnerEmpl),
		role == RoleFamilyFirm, role == RoleProcedure:
		return false
	}
	return true
}

// OverlapFlags turns overlaps into profile flags (rule netwerk-overlap,
// domain netwerk), one per shared organisation. The finding names the
// other candidates and is meant for the committee only; the interview
// question (Ask) names no other candidate, so it can be put to the
// candidate as it is. Questions are the question ids where the candidate
// named the organisation; Excerpts holds the organisation name as the
// candidate wrote it under each of those ids.
func OverlapFlags(ov []Overlap) []questionnaires.Flag {
	out := make([]questionnaires.Flag, 0, len(ov))
	for _, o := range ov {
		if len(o.Others) == 0 {
			continue
		}
		qs := o.Org.Questions()
		ex := make(map[string]string, len(qs))
		for _, q := range qs {
			ex[q] = o.Org.Name
		}
		out = append(out, questionnaires.Flag{
			Rule:      RuleOverlap,
			Domain:    DomainNetwork,
			Severity:  o.Severity,
			Finding:   overlapFinding(o),
			Why:       overlapWhy,
			Ask:       overlapAsk(o),
			Questions: qs,
			Excerpts:  ex,
		})
	}
	return out
}

func overlapFinding(o Overlap) string {
	names := make([]string, len(o.Others))
	direct := true
	boards := 0
	if o.Org.Board {
		boards++
	}
	tie := o.Org.MunicipalTie
	for i, r := range o.Others {
		labels := make([]string, 0, len(r.Roles))
		d := false
		for _, role := range r.Roles {
			labels = append(labels, RoleLabel(role))
			d = d || directRole(role)
		}
		direct = direct && d
		names[i] = r.Name
		if len(labels) > 0 {
			names[i] += " (" + strings.Join(labels, ", ") + ")"
		}
		if r.Board {
			boards++
		}
		tie = tie || r.MunicipalTie
	}
	var verb string
	switch {
	case len(names) == 1 && direct:
		verb = "is actief bij"
	case len(names) == 1:
		verb = "heeft een band met"
	case direct:
		verb = "zijn actief bij"
	default:
		verb = "hebben een band met"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Ook %s %s %s.", joinNL(names), verb, o.Org.Name)
	if tie {
		b.WriteString(" Deze organisatie heeft een band met de gemeente, bijvoorbeeld subsidie, een opdracht of een vergunning.")
	}
	if boards >= 2 {
		fmt.Fprintf(&b, " In totaal zitten %d kandidaten in het bestuur of het toezicht van deze organisatie.", boards)
	}
	return b.String()
}

func overlapAsk(o Overlap) string {
	org := o.Org.Name
	var b strings.Builder
	fmt.Fprintf(&b, "Welke andere kandidaten van de partij kent u via %s? Hoe houdt u uw rol daar en uw werk voor de partij uit elkaar?", org)
	if o.Severity.Rank() >= questionnaires.LevelOranje.Rank() {
		fmt.Fprintf(&b, " Wat doet u als de gemeenteraad of het college een besluit neemt over %s?", org)
	}
	return b.String()
}

// joinNL joins names the Dutch way: "A", "A en B", "A, B en C".
func joinNL(l []string) string {
	switch len(l) {
	case 0:
		return ""
	case 1:
		return l[0]
	}
	return strings.Join(l[:len(l)-1], ", ") + " en " + l[len(l)-1]
}
