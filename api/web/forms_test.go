package web_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/weerbaar/weerbaar/questionnaires"
)

// The NL Design System form conventions, checked on the HTML of every form
// a role can reach (issue 15): the exception is marked in the label —
// "(niet verplicht)" on optional fields, required fields unmarked and
// aria-required —, no asterisks, and every link of an error summary points
// at a form control.

const notRequired = "(niet verplicht)"

var formsSetupLink = regexp.MustCompile(`/account/instellen/[A-Za-z0-9_-]+`)

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func walkNodes(n *html.Node, fn func(*html.Node) bool) {
	if !fn(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkNodes(c, fn)
	}
}

// isTextControl: a control whose label carries the marking (groups of
// radios and checkboxes carry it in their legend).
func isTextControl(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "textarea", "select":
		return true
	case "input":
		typ, _ := attr(n, "type")
		switch strings.ToLower(typ) {
		case "hidden", "submit", "button", "reset", "image", "radio", "checkbox":
			return false
		}
		return true
	}
	return false
}

func isControl(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "input", "textarea", "select", "button":
		typ, _ := attr(n, "type")
		return typ != "hidden"
	case "a": // the review has no fields: its summary links to the change links
		_, ok := attr(n, "href")
		return ok
	}
	return false
}

// formProblems returns what breaks the conventions on one page, and how
// many labelled controls it checked. Only forms that post count: the
// committee's filter forms (GET) have no required fields.
func formProblems(page string, def *questionnaires.Definition) ([]string, int) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{"parse: " + err.Error()}, 0
	}
	byID := map[string]*html.Node{}
	labels := map[string]*html.Node{}
	walkNodes(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.Data == "template" {
			return false // the blank row of a list: its ids hold __I__
		}
		if n.Type == html.ElementNode {
			if id, ok := attr(n, "id"); ok {
				byID[id] = n
			}
			if n.Data == "label" {
				if f, ok := attr(n, "for"); ok {
					labels[f] = n
				}
			}
		}
		return true
	})
	var problems []string
	checked := 0
	walkNodes(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if n.Data == "template" {
			return false
		}
		if n.Data != "form" {
			return true
		}
		if m, _ := attr(n, "method"); !strings.EqualFold(m, "post") {
			return false
		}
		walkNodes(n, func(c *html.Node) bool {
			if c.Type != html.ElementNode {
				return true
			}
			if c.Data == "template" {
				return false
			}
			if (c.Data == "label" || c.Data == "legend") && strings.Contains(nodeText(c), "*") {
				problems = append(problems, "an asterisk in "+c.Data+" "+strconv.Quote(nodeText(c)))
			}
			if c.Data == "input" {
				if typ, _ := attr(c, "type"); typ == "radio" {
					if _, ok := attr(c, "aria-required"); ok {
						problems = append(problems, "aria-required on a radio button (it belongs to the group)")
					}
				}
			}
			if !isTextControl(c) {
				return true
			}
			id, _ := attr(c, "id")
			l := labels[id]
			if id == "" || l == nil {
				name, _ := attr(c, "name")
				problems = append(problems, "control "+strconv.Quote(name)+" has no label")
				return true
			}
			checked++
			ar, _ := attr(c, "aria-required")
			_, req := attr(c, "required")
			required := ar == "true" || req
			marked := strings.Contains(nodeText(l), notRequired)
			switch {
			case required && marked:
				problems = append(problems, "#"+id+" is required but its label says "+notRequired+": "+strconv.Quote(nodeText(l)))
			case !required && !marked:
				problems = append(problems, "#"+id+" is optional (no aria-required) but its label does not say "+notRequired+": "+strconv.Quote(nodeText(l)))
			}
			return true
		})
		return false
	})
	// The scan: each question is marked exactly when the questionnaire
	// makes it optional (groups too: the marking is in the legend).
	if def != nil {
		walkNodes(doc, func(n *html.Node) bool {
			if n.Type != html.ElementNode || n.Data == "template" {
				return n.Type != html.ElementNode || n.Data != "template"
			}
			qid, ok := attr(n, "data-question")
			if !ok {
				return true
			}
			q, ok := def.Question(qid)
			if !ok {
				problems = append(problems, "question "+qid+" is not in the questionnaire")
				return false
			}
			var head *html.Node
			walkNodes(n, func(c *html.Node) bool {
				if head != nil {
					return false
				}
				if c.Type == html.ElementNode && (c.Data == "legend" || c.Data == "label") {
					if cls, _ := attr(c, "class"); strings.Contains(cls, "question-text") {
						head = c
						return false
					}
				}
				return true
			})
			checked++
			if head == nil {
				problems = append(problems, "question "+qid+" has no label or legend")
			} else if marked := strings.Contains(nodeText(head), notRequired); marked != q.Optional {
				problems = append(problems, "question "+qid+" (optional: "+strconv.FormatBool(q.Optional)+") reads "+strconv.Quote(nodeText(head)))
			}
			return false
		})
	}
	// The error summary: each link goes to a control on the page.
	walkNodes(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if _, ok := attr(n, "data-error-summary"); !ok {
			return true
		}
		walkNodes(n, func(a *html.Node) bool {
			if a.Type == html.ElementNode && a.Data == "a" {
				href, _ := attr(a, "href")
				target := byID[strings.TrimPrefix(href, "#")]
				if !strings.HasPrefix(href, "#") || target == nil || !isControl(target) {
					problems = append(problems, "summary link "+strconv.Quote(nodeText(a))+" goes to "+strconv.Quote(href)+", not to a form control")
				}
			}
			return true
		})
		return false
	})
	return problems, checked
}

// TestFormProblemsFinds: the checker itself catches each kind of mistake.
func TestFormProblemsFinds(t *testing.T) {
	bad := `<main><div data-error-summary><h2 tabindex="-1">Er is een probleem</h2><ul><li><a href="#nergens">Vul iets in</a></li></ul></div>
<form method="post">
<label for="a">Naam *</label><input id="a" name="a" aria-required="true">
<label for="b">Toelichting</label><textarea id="b" name="b"></textarea>
<label for="c">Telefoon (niet verplicht)</label><input id="c" name="c" aria-required="true">
<input id="d" name="d">
<fieldset><legend>Kies</legend><input type="radio" id="r" name="r" aria-required="true"><label for="r">Ja</label></fieldset>
</form></main>`
	problems, _ := formProblems(bad, nil)
	for _, want := range []string{"an asterisk", "#b is optional", "#c is required but", `control "d" has no label`, "aria-required on a radio", `goes to "#nergens"`} {
		found := false
		for _, p := range problems {
			found = found || strings.Contains(p, want)
		}
		if !found {
			t.Errorf("the checker misses %q in %v", want, problems)
		}
	}
	good := `<form method="post"><label for="a">Naam</label><input id="a" name="a" aria-required="true">
<label for="b">Toelichting (niet verplicht)</label><textarea id="b" name="b"></textarea></form>
<form method="get"><label for="s">Sorteer</label><select id="s" name="s"></select></form>`
	if problems, n := formProblems(good, nil); len(problems) > 0 || n != 2 {
		t.Errorf("a correct page: %d checked, problems %v", n, problems)
	}
}

// TestFormsMarkOptional: every form of every role, and the forms again
// after a failed submit (their error summaries link to controls).
func TestFormsMarkOptional(t *testing.T) {
	f := newComFix(t)
	forms, err := questionnaires.LoadEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	def, err := forms.Latest("weerbaarheidsscan")
	if err != nil {
		t.Fatal(err)
	}
	file := "/commissie/kandidaten/" + f.cid
	// A second candidate in the middle of the scan.
	f.tok["bo"] = f.e.Must(201, "POST", comV1+"/invitations/"+f.e.InvitationToken("bo@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
	f.e.Must(200, "POST", comV1+"/me/consent", f.tok["bo"], map[string]int{"privacy_version": 1})
	type pg struct {
		who, method, path string
		form              url.Values
		status            int
		scan              bool
	}
	run := func(pages []pg) {
		t.Helper()
		for _, p := range pages {
			r := f.page(t, p.who, p.method, p.path, p.form)
			if r.Status != p.status {
				t.Errorf("%s %s as %s: status %d, want %d", p.method, p.path, p.who, r.Status, p.status)
				continue
			}
			var d *questionnaires.Definition
			if p.scan {
				d = def
			}
			problems, checked := formProblems(r.Body, d)
			for _, pr := range problems {
				t.Errorf("%s %s as %s: %s", p.method, p.path, p.who, pr)
			}
			if checked == 0 && p.path != "/scan/controleren" && p.path != "/scan/indienen" {
				t.Errorf("%s %s as %s: no labelled field checked", p.method, p.path, p.who)
			}
			if p.status == 422 && !strings.Contains(r.Body, "data-error-summary") {
				t.Errorf("%s %s as %s: no error summary", p.method, p.path, p.who)
			}
		}
	}
	run([]pg{
		{"com1", "GET", file + "/referenties", nil, 200, false},
		{"com1", "POST", file + "/referenties/vragen", url.Values{"aantal": {"twee"}}, 422, false},
	})
	// References asked, so the candidate has the form to name them.
	if r := f.page(t, "com1", "POST", file+"/referenties/vragen", url.Values{"aantal": {"2"}}); r.Status != 303 {
		t.Fatalf("ask references: %d", r.Status)
	}
	pages := []pg{
		{"board", "GET", "/bestuur/partij/" + f.pid, nil, 200, false},
		{"board", "GET", "/bestuur/ronde/" + f.rid, nil, 200, false},
		{"board", "GET", "/account/wachtwoord", nil, 200, false},
		{"board", "GET", "/account/tweestaps", nil, 200, false},
		{"com1", "GET", "/commissie/partij/" + f.pid + "/leden", nil, 200, false},
		{"com1", "POST", "/commissie/partij/" + f.pid + "/leden", url.Values{"name": {""}, "email": {"x"}}, 422, false},
		{"board", "POST", "/bestuur/partij/" + f.pid + "/rondes", url.Values{}, 422, false},
		{"board", "POST", "/bestuur/ronde/" + f.rid + "/uitnodigen", url.Values{"name": {""}, "email": {"geen-adres"}}, 422, false},
		{"board", "POST", "/account/wachtwoord", url.Values{}, 422, false},
		{"com1", "GET", file, nil, 200, false},
		{"com1", "GET", file + "/gesprek", nil, 200, false},
		{"com1", "GET", file + "/openbronnen", nil, 200, false},
		{"com1", "POST", file + "/vog", url.Values{"status": {"afgegeven"}, "issued_on": {"gisteren"}}, 422, false},
		{"com1", "POST", file + "/notities", url.Values{"note": {""}}, 422, false},
		{"com1", "POST", file + "/hoorzitting", url.Values{}, 422, false},
		{"com1", "POST", file + "/advies", url.Values{}, 422, false},
		{"com1", "POST", file + "/terugtrekken", url.Values{}, 422, false},
		{"com1", "POST", file + "/gesprek", url.Values{"held_on": {"gisteren"}}, 422, false},
		{"com1", "POST", file + "/openbronnen", url.Values{"source": {"kadaster"}, "link": {"geen link"}, "severity": {"rood"}}, 422, false},
		{"candidate", "GET", "/scan/referenties", nil, 200, false},
		{"candidate", "POST", "/scan/referenties", url.Values{"ref-0-name": {"Karel Kok"}}, 422, false},
		{"bo", "GET", "/scan/controleren", nil, 200, false},
		{"bo", "POST", "/scan/indienen", url.Values{}, 422, false},
	}
	for n := 1; n <= len(def.Sections); n++ {
		pages = append(pages, pg{"bo", "GET", "/scan/stap/" + strconv.Itoa(n), nil, 200, true})
	}
	// A step sent with a yes-or-no answer that is neither: the page again, with its
	// summary.
	bad := 0
	for i := range def.Sections {
		for _, sq := range def.Sections[i].Questions {
			if q, ok := def.Question(sq.ID); ok && bad == 0 && q.Type == questionnaires.TypeYesNo && q.ShowIf == "" {
				bad = i + 1
				pages = append(pages, pg{"bo", "POST", "/scan/stap/" + strconv.Itoa(bad), url.Values{"actie": {"verder"}, q.ID: {"misschien"}}, 422, true})
			}
		}
	}
	if bad == 0 {
		t.Fatal("the questionnaire has no yes-or-no question to send wrong")
	}
	run(pages)

	// The referent's form: the candidate names them, the committee sends.
	names := url.Values{"toestemming": {"ja"},
		"ref-0-name": {"Karel Kok"}, "ref-0-email": {"karel@ref.nl"}, "ref-0-relation": {"werkgever"},
		"ref-1-name": {"Sara Smit"}, "ref-1-email": {"sara@ref.nl"}, "ref-1-relation": {"vereniging"}}
	if r := f.page(t, "candidate", "POST", "/scan/referenties", names); r.Status != 303 {
		t.Fatalf("name referents: %d", r.Status)
	}
	run([]pg{{"com1", "GET", file + "/referenties", nil, 200, false}, {"com1", "POST", file + "/referenties/versturen", url.Values{"dagen": {"99"}}, 422, false}})
	if r := f.page(t, "com1", "POST", file+"/referenties/versturen", url.Values{"dagen": {"14"}}); r.Status != 303 {
		t.Fatalf("send references: %d", r.Status)
	}
	tok := f.referentToken(t, "karel@ref.nl")
	ref := page{t: t, e: f.e, jar: map[string]string{}}
	problems, checked := formProblems(ref.get("/referentie/"+tok), nil)
	for _, pr := range problems {
		t.Errorf("GET /referentie/…: %s", pr)
	}
	if checked == 0 {
		t.Error("GET /referentie/…: no labelled field checked")
	}
	// The pages without a session, and the set-up link of a new member.
	f.e.AddMember(f.e.Login("admin@weerbaar.test", "beheerder-wachtwoord-1"), f.pid, map[string]any{"email": "nieuw@test.nl", "name": "Nina Nieuw", "role": "commissie"})
	setup := ""
	for end := time.Now().Add(10 * time.Second); setup == "" && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		for _, m := range f.e.Mails() {
			if l := formsSetupLink.FindString(m.BodyText); m.ToAddr == "nieuw@test.nl" && l != "" {
				setup = l
			}
		}
	}
	if setup == "" {
		t.Fatal("no set-up mail for the new member")
	}
	anon := page{t: t, e: f.e, jar: map[string]string{}}
	for _, path := range []string{"/inloggen", "/wachtwoord-vergeten", "/link-aanvragen", setup} {
		problems, checked := formProblems(anon.get(path), nil)
		for _, pr := range problems {
			t.Errorf("GET %s: %s", path, pr)
		}
		if checked == 0 {
			t.Errorf("GET %s: no labelled field checked", path)
		}
	}
}
