package web_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// The interview record's page (issue 13, part 3), its link and the advice
// form on the candidate file, and the dilemma cases in the guide.

type comInterviewFlag struct {
	Rule, Domain string
}

func (f *comFix) interviewFlags(t *testing.T) []comInterviewFlag {
	t.Helper()
	var out struct{ Flags []comInterviewFlag }
	if err := json.Unmarshal(f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/interview", f.tok["com1"], nil).Body, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Flags) < 3 {
		t.Fatalf("only %d flags", len(out.Flags))
	}
	return out.Flags
}

// interviewForm is the page's form with every row's flag id, as the
// browser sends it, plus the given fields.
func interviewForm(flags []comInterviewFlag, fields map[string]string) url.Values {
	form := url.Values{}
	for i, fl := range flags {
		form.Set("rule-"+strconv.Itoa(i), fl.Rule)
	}
	for k, v := range fields {
		form.Set(k, v)
	}
	return form
}

const comMeasure = "Legt bestuursfunctie bij stichting X neer vóór installatie"

func TestInterviewPage(t *testing.T) {
	f := newComFix(t)
	flags := f.interviewFlags(t)
	base := "/commissie/kandidaten/" + f.cid

	// The file links to the record with the count.
	file := f.must(t, 200, "com1", "GET", base, nil)
	comHas(t, file, `href="`+base+`/gesprek">Gespreksverslag: 0 van `)

	page := f.must(t, 200, "com1", "GET", base+"/gesprek", nil)
	comHas(t, page, "<h1>Gespreksverslag: "+comEsc("<script>alert(1)</script>")+"</h1>", `name="rule-0" value="`+flags[0].Rule+`"`,
		`name="resolution-0" value="maatregel_afgesproken"`, "Zorg blijft", `id="measure-0"`, "Wie waren erbij?")
	comLacks(t, page, "<script>alert(1)</script>")

	// A refusal shows the summary, links to the row's field and keeps what was typed.
	bad := f.must(t, 422, "com1", "POST", base+"/gesprek", interviewForm(flags, map[string]string{
		"resolution-1": "maatregel_afgesproken", "note-1": "Bleef vaag", "held_on": "31-02-2025"}))
	comHas(t, bad, "Er is een probleem", `href="#measure-1"`, `href="#interview-held-on"`, "Bleef vaag", "Schrijf op welke maatregel is afgesproken")
	bad = f.must(t, 422, "com1", "POST", base+"/gesprek", interviewForm(flags, map[string]string{"note-2": "alleen een notitie"}))
	comHas(t, bad, `href="#resolution-2"`, "Kies wat er uit het gesprek kwam")

	// Saved: back on the page with the record.
	r := f.page(t, "com1", "POST", base+"/gesprek", interviewForm(flags, map[string]string{
		"held_on": "14-03-2025", "attendees": "Anna de Vries, Bram Jansen",
		"resolution-0": "maatregel_afgesproken", "measure-0": comMeasure,
		"resolution-2": "zorg_blijft", "note-2": "Wil niet over de schulden praten"}))
	if r.Status != 303 || r.Location != base+"/gesprek" {
		t.Fatalf("save: %d %s %s", r.Status, r.Location, r.Body)
	}
	page = f.must(t, 200, "com1", "GET", base+"/gesprek", nil)
	comHas(t, page, `value="14-03-2025"`, "Anna de Vries, Bram Jansen", "2 van "+strconv.Itoa(len(flags))+" signalen", "Vastgelegd door Anna de Vries", comMeasure)

	// The file: the count, the advice form starts from the measures, and
	// the concern that remains is named beside it.
	file = f.must(t, 200, "com1", "GET", base, nil)
	comHas(t, file, "Gespreksverslag: 2 van ", `name="conditions_prefill" value="- `+comMeasure+`"`,
		`name="conditions" rows="5" aria-describedby="advice-conditions-hint">- `+comMeasure+`</textarea>`,
		"Na het gesprek blijft er zorg bij:", "Wil de vraag over schulden liever in het gesprek bespreken.")

	// A positive advice without conditions drops the prefilled measures
	// instead of refusing the form; the proposal is rejected again.
	r = f.page(t, "com1", "POST", base+"/advies", url.Values{"outcome": {"positief"}, "reasons": {"Goed gesprek"},
		"conditions": {"- " + comMeasure}, "conditions_prefill": {"- " + comMeasure}})
	if r.Status != 303 {
		t.Fatalf("positive advice with the prefill left: %d %s", r.Status, r.Body)
	}
	f.must(t, 303, "com2", "POST", base+"/advies/afwijzen", url.Values{})
	// Edited conditions on a positive advice are still refused, as before.
	f.must(t, 422, "com1", "POST", base+"/advies", url.Values{"outcome": {"positief"}, "reasons": {"x"},
		"conditions": {"- iets anders"}, "conditions_prefill": {"- " + comMeasure}})
	// With conditions: the measures as sent become the conditions.
	f.must(t, 303, "com1", "POST", base+"/advies", url.Values{"outcome": {"positief_met_voorwaarden"}, "reasons": {"Goed gesprek"},
		"conditions": {"- " + comMeasure}, "conditions_prefill": {"- " + comMeasure}})
	var d struct{ Conditions string }
	if err := json.Unmarshal(f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/decision", f.tok["com1"], nil).Body, &d); err != nil || d.Conditions != "- "+comMeasure {
		t.Fatalf("proposal conditions %q (%v)", d.Conditions, err)
	}

	// The access log names the new actions in Dutch.
	log := f.must(t, 200, "com1", "GET", base+"/logboek", nil)
	comHas(t, log, "Gespreksverslag gelezen", "Gespreksverslag bijgewerkt")

	// Only the committee: the board gets 403, the candidate 404.
	f.must(t, 403, "board", "GET", base+"/gesprek", nil)
	f.must(t, 403, "board", "POST", base+"/gesprek", interviewForm(flags, nil))
	f.must(t, 404, "candidate", "GET", base+"/gesprek", nil)
}

// TestGuideDilemmas: the printable guide shows the dilemma cases of every
// flagged domain, and of no other.
func TestGuideDilemmas(t *testing.T) {
	f := newComFix(t)
	flagged := map[string]bool{}
	for _, fl := range f.interviewFlags(t) {
		flagged[fl.Domain] = true
	}
	bank, err := questionnaires.LoadDilemmas()
	if err != nil {
		t.Fatal(err)
	}
	guide := f.must(t, 200, "com1", "GET", "/commissie/kandidaten/"+f.cid+"/leidraad", nil)
	comHas(t, guide, "Dilemma’s om voor te leggen")
	shown := 0
	for _, d := range questionnaires.DilemmaDomains {
		for _, c := range bank.For(d) {
			has := strings.Contains(guide, `data-dilemma="`+c.ID+`"`)
			if has != flagged[d] {
				t.Errorf("domain %s (flagged %v): case %s shown %v", d, flagged[d], c.ID, has)
			}
			if has {
				shown++
				comHas(t, guide, comEsc(c.Title))
			}
		}
	}
	if shown == 0 {
		t.Fatal("no dilemma shown")
	}
}
