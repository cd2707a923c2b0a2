package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
)

const comV1 = "/api/v1"

// comFix is a party with a board member, two committee members, a round
// and two candidates: one profiled (with a hostile name and answer), one
// only invited.
type comFix struct {
	e          *apptest.Env
	tok        map[string]string
	pid, rid   string
	cid, other string
}

const comNote5 = "Ik stop met <b>vet</b> werk als ik word gekozen."

func newComFix(t *testing.T) *comFix {
	t.Helper()
	e := apptest.Start(t)
	e.StartWorker()
	f := &comFix{e: e, tok: map[string]string{}}
	admin := e.Admin()
	f.pid = e.Must(201, "POST", comV1+"/parties", admin, map[string]string{"name": "Partij A"}).Map(t)["id"].(string)
	pw := "wachtwoord-van-test-1"
	for _, m := range []struct{ who, name, role string }{
		{"board", "Bea Bestuur", "bestuur"}, {"com1", "Anna de Vries", "commissie"}, {"com2", "Bram Jansen", "commissie"},
	} {
		email := m.who + "@test.nl"
		e.AddMember(admin, f.pid, map[string]any{"email": email, "name": m.name, "role": m.role, "password": pw})
		f.tok[m.who] = e.Login(email, pw)
	}
	deadline := time.Now().Add(60 * 24 * time.Hour).Format("2006-01-02")
	f.rid = e.Must(201, "POST", comV1+"/parties/"+f.pid+"/rounds", f.tok["board"],
		map[string]string{"name": "Gemeenteraad 2026", "office": "raadslid", "deadline": deadline}).Map(t)["id"].(string)
	invite := func(name, email string) string {
		return e.Must(201, "POST", comV1+"/rounds/"+f.rid+"/candidates", f.tok["board"], map[string]string{"name": name, "email": email}).Map(t)["id"].(string)
	}
	f.cid = invite("<script>alert(1)</script>", "piet@test.nl")
	f.other = invite("Bo", "bo@test.nl")
	f.tok["candidate"] = e.Must(201, "POST", comV1+"/invitations/"+e.InvitationToken("piet@test.nl")+"/accept", "", nil).Map(t)["token"].(string)
	ans := sample.Flagged()
	ans["N5"] = comNote5
	e.Must(200, "POST", comV1+"/me/consent", f.tok["candidate"], map[string]int{"privacy_version": 1})
	e.Must(200, "PATCH", comV1+"/me/answers", f.tok["candidate"], map[string]any{"answers": ans})
	e.Must(200, "POST", comV1+"/me/submit", f.tok["candidate"], nil)
	until := time.Now().Add(5 * time.Second)
	for e.Must(200, "GET", comV1+"/candidates/"+f.cid, f.tok["com1"], nil).Map(t)["status"] != "profiled" {
		if time.Now().After(until) {
			t.Fatal("candidate never profiled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return f
}

type comResp struct {
	Status   int
	Body     string
	Location string
}

// page requests a page as who (session cookie); a non-nil form is posted
// with the session's CSRF token.
func (f *comFix) page(t *testing.T, who, method, path string, form url.Values) comResp {
	t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("_csrf", api.CSRFToken(f.tok[who]))
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: f.tok[who]})
	resp, err := f.e.Sys.App.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return comResp{Status: resp.StatusCode, Body: string(b), Location: resp.Header.Get("Location")}
}

func (f *comFix) must(t *testing.T, status int, who, method, path string, form url.Values) string {
	t.Helper()
	r := f.page(t, who, method, path, form)
	if r.Status != status {
		t.Fatalf("%s %s as %s: status %d, want %d\n%s", method, path, who, r.Status, status, r.Body)
	}
	return r.Body
}

// comEsc is how html/template writes text.
var comEsc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace

func comHas(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func comLacks(t *testing.T, body string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(body, b) {
			t.Errorf("page contains %q", b)
		}
	}
}

// comRow returns the table row that links to a candidate.
func comRow(body, cid string) string {
	i := strings.Index(body, `href="/commissie/kandidaten/`+cid+`"`)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<tr>")
	end := strings.Index(body[i:], "</tr>")
	return body[start : i+end]
}

func TestCommitteeRoundOverview(t *testing.T) {
	f := newComFix(t)
	body := f.must(t, 200, "com1", "GET", "/commissie/partij/"+f.pid, nil)
	comHas(t, body, `href="/commissie/ronde/`+f.rid+`"`, "Gemeenteraad 2026", "<h1>Rondes</h1>")

	body = f.must(t, 200, "com1", "GET", "/commissie/ronde/"+f.rid, nil)
	first, second := strings.Index(body, "/commissie/kandidaten/"+f.cid), strings.Index(body, "/commissie/kandidaten/"+f.other)
	if first < 0 || second < 0 || first > second {
		t.Fatalf("the profiled candidate is not listed first (%d, %d)", first, second)
	}
	if row := comRow(body, f.cid); !strings.Contains(row, `level-oranje`) || !strings.Contains(row, `</span>oranje</span>`) || !strings.Contains(row, "Profiel klaar") {
		t.Errorf("row of the profiled candidate lacks its level word or status: %s", row)
	}
	if row := comRow(body, f.other); !strings.Contains(row, "nog geen profiel") || !strings.Contains(row, "Uitgenodigd") {
		t.Errorf("row of the invited candidate: %s", row)
	}
	comHas(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;", "Niveaus, van laag naar hoog", "Profiel klaar: <strong>1</strong>",
		`<label for="filter-level">Niveau</label>`, `<label for="filter-sort">Sorteren op</label>`)
	comLacks(t, body, "<script>alert(1)")

	for _, c := range []struct {
		query     string
		in, notIn []string
	}{
		{"level=oranje", []string{f.cid}, []string{f.other}},
		{"level=geen_profiel", []string{f.other}, []string{f.cid}},
		{"status=invited", []string{f.other}, []string{f.cid}},
		{"vog=niet_gevraagd", []string{f.cid, f.other}, nil},
		{"vog=afgegeven", nil, []string{f.cid, f.other}},
		{"level=oranje&status=profiled&vog=niet_gevraagd&sort=name", []string{f.cid}, []string{f.other}},
	} {
		body := f.must(t, 200, "com1", "GET", "/commissie/ronde/"+f.rid+"?"+c.query, nil)
		for _, id := range c.in {
			if !strings.Contains(body, "/commissie/kandidaten/"+id) {
				t.Errorf("%s: %s missing", c.query, id)
			}
		}
		for _, id := range c.notIn {
			if strings.Contains(body, "/commissie/kandidaten/"+id) {
				t.Errorf("%s: %s listed", c.query, id)
			}
		}
	}
	body = f.must(t, 200, "com1", "GET", "/commissie/ronde/"+f.rid+"?level=rood", nil)
	comHas(t, body, "die bij deze filters passen", `<option value="rood" selected>`)
	body = f.must(t, 422, "com1", "GET", "/commissie/ronde/"+f.rid+"?sort=onzin", nil)
	comHas(t, body, "Er is een probleem", "Kies een sortering uit de lijst", `aria-describedby="filter-sort-error"`)

	// The board never sees the committee's pages.
	f.must(t, 403, "board", "GET", "/commissie/ronde/"+f.rid, nil)
	f.must(t, 403, "board", "GET", "/commissie/kandidaten/"+f.cid, nil)
}

func TestCommitteeCandidatePage(t *testing.T) {
	f := newComFix(t)
	var prof struct {
		Flags []struct {
			Rule, Finding, Ask string
			Excerpts           map[string]string
		}
	}
	f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/profile", f.tok["com2"], nil).JSON(t, &prof)
	if len(prof.Flags) < 3 {
		t.Fatalf("profile has %d flags", len(prof.Flags))
	}
	body := f.must(t, 200, "com1", "GET", "/commissie/kandidaten/"+f.cid, nil)
	for _, fl := range prof.Flags {
		comHas(t, body, `data-rule="`+fl.Rule+`"`, comEsc(fl.Finding), "Vraag in het gesprek: "+comEsc(fl.Ask))
		for _, ex := range fl.Excerpts {
			comHas(t, body, "“"+comEsc(ex)+"”")
		}
	}
	// Each flag shows the question text behind the quoted answer.
	comHas(t, body, `<p class="answer-question">`)
	comHas(t, body, "&lt;b&gt;vet&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", "Niveaus, van laag naar hoog",
		"Totaalniveau: ", `level-oranje`)
	comLacks(t, body, "<b>vet</b>", "<script>alert(1)")
	last := -1
	for _, d := range []string{"nevenfuncties", "financieel", "netwerk", "verleden", "weerbaarheid", "digitaal", "vog"} {
		i := strings.Index(body, `id="domein-`+d+`-kop"`)
		if i < last {
			t.Errorf("domain %s missing or out of order", d)
		}
		last = i
	}
	comHas(t, body, "Advies voorstellen", "Notitie opslaan", "VOG-status opslaan", "Vragen aan kandidaat versturen",
		"Ik trek mij terug bij deze kandidaat", "Terugsturen naar kandidaat", "/antwoorden", "/geschiedenis", "/logboek", "/leidraad")

	// A file without a profile yet: the page works, the guide does not exist.
	body = f.must(t, 200, "com1", "GET", "/commissie/kandidaten/"+f.other, nil)
	comHas(t, body, "Er is nog geen profiel", "nog geen profiel", "VOG-status opslaan")
	comLacks(t, body, ">Advies voorstellen</button>", ">Terugsturen naar kandidaat</button>")
	comHas(t, f.must(t, 404, "com1", "GET", "/commissie/kandidaten/"+f.other+"/leidraad", nil), "Er is nog geen profiel van deze kandidaat")

	body = f.must(t, 200, "com1", "GET", "/commissie/kandidaten/"+f.cid+"/antwoorden", nil)
	comHas(t, body, comEsc(comNote5), "Stichting Sportpark De Linden")
	comLacks(t, body, "<b>vet</b>")

	// A form without the session's CSRF token is refused.
	req := httptest.NewRequest("POST", "/commissie/kandidaten/"+f.cid+"/notities", strings.NewReader("body=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: f.tok["com1"]})
	if resp, err := f.e.Sys.App.Test(req, 30_000); err != nil || resp.StatusCode != 403 {
		t.Fatalf("POST without CSRF: %v %v", resp.StatusCode, err)
	}
}

func TestCommitteeFourEyes(t *testing.T) {
	f := newComFix(t)
	advies := "/commissie/kandidaten/" + f.cid + "/advies"

	body := f.must(t, 422, "com1", "POST", advies, url.Values{"outcome": {"positief"}, "reasons": {""}})
	comHas(t, body, "Er is een probleem", `href="#advice-reasons"`, "Schrijf de redenen voor het advies op.",
		`aria-describedby="advice-reasons-hint advice-reasons-error"`, `value="positief" checked`)
	body = f.must(t, 422, "com1", "POST", advies, url.Values{"outcome": {"positief"}, "reasons": {"Prima"}, "conditions": {"Cursus"}})
	comHas(t, body, "Voorwaarden horen alleen bij", ">Cursus</textarea>")
	body = f.must(t, 409, "com1", "POST", advies, url.Values{"outcome": {"negatief"}, "reasons": {"Te veel risico"}})
	comHas(t, body, "Er is een probleem", "Een negatief advies kan pas als de kandidaat is gehoord", ">Te veel risico</textarea>")

	r := f.page(t, "com1", "POST", advies, url.Values{"outcome": {"positief"}, "reasons": {"Open en eerlijk"}, "release_to_board": {"ja"}})
	if r.Status != 303 || r.Location != "/commissie/kandidaten/"+f.cid+"#advies" {
		t.Fatalf("propose: %d %q", r.Status, r.Location)
	}
	body = f.must(t, 200, "com1", "GET", "/commissie/kandidaten/"+f.cid, nil)
	comHas(t, body, "Voorstel: Positief", "Een tweede commissielid moet het bevestigen", "Voorstel afwijzen", "Open en eerlijk")
	comLacks(t, body, ">Advies bevestigen</button>", ">Advies voorstellen</button>")

	body = f.must(t, 409, "com1", "POST", advies+"/bevestigen", url.Values{})
	comHas(t, body, "Er is een probleem", "U kunt uw eigen voorstel niet bevestigen")
	if d := f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/decision", f.tok["com1"], nil).Map(t); d["status"] != "voorgesteld" {
		t.Fatalf("decision after own confirm: %v", d)
	}

	body = f.must(t, 200, "com2", "GET", "/commissie/kandidaten/"+f.cid, nil)
	comHas(t, body, ">Advies bevestigen</button>", "Anna de Vries")
	r = f.page(t, "com2", "POST", advies+"/bevestigen", url.Values{})
	if r.Status != 303 {
		t.Fatalf("confirm by the second member: %d %s", r.Status, r.Body)
	}
	if d := f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/decision", f.tok["com1"], nil).Map(t); d["status"] != "bevestigd" || d["outcome"] != "positief" {
		t.Fatalf("decision: %v", d)
	}
	if a := f.e.Must(200, "GET", comV1+"/candidates/"+f.cid, f.tok["board"], nil).Map(t)["advice"]; a == nil || a.(map[string]any)["outcome"] != "positief" {
		t.Fatalf("board does not see the released advice: %v", a)
	}
	body = f.must(t, 200, "com1", "GET", "/commissie/kandidaten/"+f.cid, nil)
	comHas(t, body, "Advies: Positief", "Bram Jansen")
	body = f.must(t, 200, "com1", "GET", "/commissie/ronde/"+f.rid, nil)
	comHas(t, body, "Positief (bevestigd)")
}

func TestCommitteeHearingAndRecusal(t *testing.T) {
	f := newComFix(t)
	base := "/commissie/kandidaten/" + f.cid
	var prof struct {
		Flags []struct{ Rule, Finding, Ask string }
	}
	f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/profile", f.tok["com1"], nil).JSON(t, &prof)

	body := f.must(t, 422, "com1", "POST", base+"/hoorzitting", url.Values{"message": {"Graag uitleg"}})
	comHas(t, body, "Kies ten minste één signaal", ">Graag uitleg</textarea>")
	r := f.page(t, "com1", "POST", base+"/hoorzitting", url.Values{"flags": {prof.Flags[0].Rule, prof.Flags[1].Rule}, "message": {"Wilt u dit toelichten?"}})
	if r.Status != 303 {
		t.Fatalf("open hearing: %d %s", r.Status, r.Body)
	}
	h := f.e.Must(200, "GET", comV1+"/me/hearing", f.tok["candidate"], nil).Map(t)
	if h["message"] != "Wilt u dit toelichten?" || len(h["flags"].([]any)) != 2 {
		t.Fatalf("candidate's hearing: %v", h)
	}
	body = f.must(t, 200, "com1", "GET", base, nil)
	comHas(t, body, "Wilt u dit toelichten?", "De kandidaat heeft nog niet gereageerd.", "Er loopt al een hoorzitting")

	body = f.must(t, 422, "com2", "POST", base+"/terugtrekken", url.Values{"reason": {"Mijn zwager"}})
	comHas(t, body, "Vink aan dat u begrijpt", ">Mijn zwager</textarea>")
	r = f.page(t, "com2", "POST", base+"/terugtrekken", url.Values{"reason": {"Mijn zwager"}, "confirm": {"ja"}})
	if r.Status != 303 || r.Location != "/commissie/ronde/"+f.rid {
		t.Fatalf("recusal: %d %q", r.Status, r.Location)
	}
	f.must(t, 404, "com2", "GET", base, nil)
	f.must(t, 404, "com2", "GET", base+"/leidraad", nil)
	f.must(t, 404, "com2", "POST", base+"/notities", url.Values{"body": {"x"}})
	body = f.must(t, 200, "com2", "GET", "/commissie/ronde/"+f.rid, nil)
	comLacks(t, body, "/commissie/kandidaten/"+f.cid)
	comHas(t, body, "/commissie/kandidaten/"+f.other)
	body = f.must(t, 200, "com1", "GET", base, nil)
	comHas(t, body, "Bram Jansen", "Reden: Mijn zwager")
}

func TestCommitteeGuideLogVOGNotesReopen(t *testing.T) {
	f := newComFix(t)
	base := "/commissie/kandidaten/" + f.cid

	body := f.must(t, 200, "com1", "GET", base+"/leidraad", nil)
	if !regexp.MustCompile(`<p class="print-mark">Afgedrukt door Anna de Vries op \d{1,2} \p{L}+ \d{4} om \d{2}:\d{2}</p>`).MatchString(body) {
		t.Errorf("guide lacks the print mark")
	}
	comHas(t, body, `class="domain guide-domain"`, "note-space", "/static/committee.css", "&lt;script&gt;alert(1)&lt;/script&gt;")
	f.must(t, 200, "com1", "GET", base+"/antwoorden", nil)
	body = f.must(t, 200, "com1", "GET", base+"/geschiedenis", nil)
	comHas(t, body, "Versie 1", "(huidige versie)")

	// VOG through the form.
	today := time.Now().Format("02-01-2006")
	r := f.page(t, "com1", "POST", base+"/vog", url.Values{"status": {"klaargezet"}, "klaargezet_on": {today}, "screening_profile": {"01 politieke ambtsdragers"}})
	if r.Status != 303 {
		t.Fatalf("VOG: %d %s", r.Status, r.Body)
	}
	if v := f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/vog", f.tok["com1"], nil).Map(t); v["status"] != "klaargezet" || v["klaargezet_on"] != time.Now().Format("2006-01-02") {
		t.Fatalf("VOG: %v", v)
	}
	body = f.must(t, 422, "com1", "POST", base+"/vog", url.Values{"status": {"aangevraagd"}, "requested_on": {"31-02-2025"}})
	comHas(t, body, "Schrijf de datum als dag-maand-jaar", `value="31-02-2025"`, `aria-describedby="vog-requested-hint vog-requested-error"`)
	body = f.must(t, 409, "com1", "POST", base+"/vog", url.Values{"status": {"afgegeven"}, "issued_on": {today}})
	comHas(t, body, "Er is een probleem", "De VOG-status kan niet van klaargezet naar afgegeven gaan")
	body = f.must(t, 200, "com1", "GET", base, nil)
	comHas(t, body, "Klaargezet", `value="aangevraagd"`)

	// Notes.
	f.must(t, 422, "com1", "POST", base+"/notities", url.Values{"body": {"  "}})
	r = f.page(t, "com1", "POST", base+"/notities", url.Values{"body": {"Sterk verhaal <i>echt</i>"}})
	if r.Status != 303 {
		t.Fatalf("note: %d", r.Status)
	}
	body = f.must(t, 200, "com2", "GET", base, nil)
	comHas(t, body, "Sterk verhaal &lt;i&gt;echt&lt;/i&gt;", "Anna de Vries")

	// The reads are in the access log, by name.
	body = f.must(t, 200, "com1", "GET", base+"/logboek", nil)
	comHas(t, body, "Profiel gelezen", "Antwoorden gelezen", "Geschiedenis gelezen", "Notities gelezen", "Notitie geschreven",
		"VOG-status bijgewerkt", "Anna de Vries", "Bram Jansen", "Selectiecommissie")
	var evs []struct {
		ActorName string `json:"actor_name"`
		Action    string `json:"action"`
	}
	f.e.Must(200, "GET", comV1+"/candidates/"+f.cid+"/audit", f.tok["com1"], nil).JSON(t, &evs)
	count := map[string]int{}
	for _, e := range evs {
		if e.ActorName == "Anna de Vries" {
			count[e.Action]++
		}
	}
	// profile.read: guide, the page after the 422/409 VOG refusals (2), the
	// note refusal (1); answers.read, history.read once.
	if count["profile.read"] < 4 || count["answers.read"] != 1 || count["history.read"] != 1 || count["notes.read"] < 3 {
		t.Fatalf("audit of Anna's reads: %v", count)
	}

	// Reopen.
	f.must(t, 422, "com1", "POST", base+"/terugsturen", url.Values{"message": {""}})
	r = f.page(t, "com1", "POST", base+"/terugsturen", url.Values{"message": {"Vul uw nevenfuncties aan."}})
	if r.Status != 303 {
		t.Fatalf("reopen: %d %s", r.Status, r.Body)
	}
	if s := f.e.Must(200, "GET", comV1+"/candidates/"+f.cid, f.tok["com1"], nil).Map(t)["status"]; s != "in_progress" {
		t.Fatalf("status after reopen: %v", s)
	}
}
