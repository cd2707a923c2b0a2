package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/e2e"
	"github.com/weerbaar/weerbaar/internal/apptest"
	"github.com/weerbaar/weerbaar/internal/sample"
)

// scanBrowser is a browser without JavaScript: it keeps cookies and posts
// forms; it never follows redirects.
type scanBrowser struct {
	t     *testing.T
	e     *apptest.Env
	jar   map[string]string
	pages []string // every page body seen, for the escaping check
}

func (b *scanBrowser) do(method, path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	var cookies []string
	for k, v := range b.jar {
		cookies = append(cookies, k+"="+v)
	}
	if len(cookies) > 0 {
		req.Header.Set("Cookie", strings.Join(cookies, "; "))
	}
	resp, err := b.e.Sys.App.Test(req, 30_000)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Value == "" || ck.MaxAge < 0 {
			delete(b.jar, ck.Name)
		} else {
			b.jar[ck.Name] = ck.Value
		}
	}
	out, _ := io.ReadAll(resp.Body)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		b.pages = append(b.pages, string(out))
	}
	return resp.StatusCode, string(out), resp.Header
}

func (b *scanBrowser) get(path string) string {
	b.t.Helper()
	status, body, h := b.do("GET", path, nil)
	if status != 200 {
		b.t.Fatalf("GET %s: %d (Location %q)\n%s", path, status, h.Get("Location"), body)
	}
	return body
}

// post submits form with the CSRF token of the page it came from.
func (b *scanBrowser) post(path, page string, form url.Values, want int) (string, string) {
	b.t.Helper()
	form.Set("_csrf", scanCSRF(b.t, page))
	status, body, h := b.do("POST", path, form)
	if status != want {
		b.t.Fatalf("POST %s: %d, want %d\n%s", path, status, want, body)
	}
	return h.Get("Location"), body
}

var (
	scanCSRFField  = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	scanVisibleFld = regexp.MustCompile(`name="_zichtbaar" value="([^"]*)"`)
	scanQuestionRe = regexp.MustCompile(`data-question="([^"]+)" data-type="([^"]+)"`)
)

func scanCSRF(t *testing.T, page string) string {
	t.Helper()
	m := scanCSRFField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field in the page:\n%s", page)
	}
	return m[1]
}

type scanFix struct {
	e                    *apptest.Env
	board, com, pid, rid string
}

func newScanFix(t *testing.T) *scanFix {
	t.Helper()
	e := apptest.Start(t)
	e.StartWorker()
	f := &scanFix{e: e}
	admin := e.Admin()
	f.pid = e.Must(201, "POST", "/api/v1/parties", admin, map[string]string{"name": "Partij <A>"}).Map(t)["id"].(string)
	pw := "wachtwoord-van-test-1"
	for _, m := range []struct{ email, role string }{{"scanbestuur@test.nl", "bestuur"}, {"scancommissie@test.nl", "commissie"}} {
		e.Must(201, "POST", "/api/v1/parties/"+f.pid+"/members", admin, map[string]any{"email": m.email, "name": m.role, "role": m.role, "password": pw})
	}
	f.board = e.Login("scanbestuur@test.nl", pw)
	f.com = e.Login("scancommissie@test.nl", pw)
	deadline := time.Now().Add(60 * 24 * time.Hour).Format("2006-01-02")
	f.rid = e.Must(201, "POST", "/api/v1/parties/"+f.pid+"/rounds", f.board,
		map[string]string{"name": "Gemeenteraad", "office": "raadslid", "deadline": deadline}).Map(t)["id"].(string)
	return f
}

func (f *scanFix) browser(t *testing.T) *scanBrowser {
	return &scanBrowser{t: t, e: f.e.With(t), jar: map[string]string{}}
}

func (f *scanFix) invite(t *testing.T, name, email string) string {
	t.Helper()
	return f.e.Must(201, "POST", "/api/v1/rounds/"+f.rid+"/candidates", f.board, map[string]string{"name": name, "email": email}).Map(t)["id"].(string)
}

func (f *scanFix) status(t *testing.T, cid string) string {
	t.Helper()
	return f.e.With(t).Must(200, "GET", "/api/v1/candidates/"+cid, f.com, nil).Map(t)["status"].(string)
}

func (f *scanFix) waitStatus(t *testing.T, cid, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for f.status(t, cid) != want {
		if time.Now().After(deadline) {
			t.Fatalf("candidate never reached %s (now %s)", want, f.status(t, cid))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// start invites a candidate, opens the invitation link, starts the scan
// and gives consent, all through the pages.
func (f *scanFix) start(t *testing.T, name, email string) (*scanBrowser, string) {
	t.Helper()
	cid := f.invite(t, name, email)
	b := f.browser(t)
	token := f.e.With(t).InvitationToken(email)
	landing := b.get("/uitnodiging/" + token)
	if loc, _ := b.post("/uitnodiging/"+token, landing, url.Values{}, 303); loc != "/scan" {
		t.Fatalf("accept went to %q", loc)
	}
	home := b.get("/scan")
	if loc, _ := b.post("/scan/toestemming", home, url.Values{"akkoord": {"ja"}, "versie": {"1"}}, 303); loc != "/scan/stap/1" {
		t.Fatalf("consent went to %q", loc)
	}
	return b, cid
}

// scanForm fills a step page's questions from a JSON answer set, the way a
// person would fill in the form.
func scanForm(t *testing.T, page string, answers map[string]any) url.Values {
	t.Helper()
	form := url.Values{}
	if m := scanVisibleFld.FindStringSubmatch(page); m != nil {
		form.Set("_zichtbaar", m[1])
	}
	qs := scanQuestionRe.FindAllStringSubmatch(page, -1)
	if len(qs) == 0 {
		t.Fatalf("no questions in the page")
	}
	for _, m := range qs {
		id, typ := m[1], m[2]
		v, ok := answers[id]
		switch typ {
		case "list":
			form.Set(id+"._lijst", "1")
			if !ok {
				continue
			}
			items := v.([]any)
			if len(items) == 0 {
				form.Set(id+".leeg", "ja")
			}
			for i, it := range items {
				for k, fv := range it.(map[string]any) {
					form.Set(id+"."+strconv.Itoa(i)+"."+k, scanText(fv))
				}
			}
		case "multichoice":
			form.Add(id, "")
			if ok {
				for _, o := range v.([]any) {
					form.Add(id, o.(string))
				}
			}
		case "text", "longtext", "date", "number":
			form.Set(id, "")
			if ok {
				form.Set(id, scanText(v))
			}
		default: // radios: only sent when chosen
			if ok {
				form.Set(id, scanText(v))
			}
		}
	}
	return form
}

func scanText(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "ja"
		}
		return "nee"
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1)
	}
	return fmt.Sprint(v)
}

const (
	scanHostileName   = "<script>alert(1)</script>"
	scanHostileAnswer = "Ik stop met <b>vet</b> werk als ik word gekozen."
)

func TestScanPages(t *testing.T) {
	f := newScanFix(t)

	t.Run("walk through the scan without JavaScript", func(t *testing.T) {
		email := "walk@test.nl"
		cid := f.invite(t, scanHostileName, email)
		token := f.e.With(t).InvitationToken(email)
		b := f.browser(t)

		landing := b.get("/uitnodiging/" + token)
		for _, want := range []string{"Start de scan", "Alleen de selectiecommissie leest uw antwoorden", "6 maanden", "4 weken", "downloaden"} {
			if !strings.Contains(landing, want) {
				t.Errorf("landing lacks %q", want)
			}
		}
		if got := f.status(t, cid); got != "invited" {
			t.Fatalf("opening the link accepted the invitation: %s", got)
		}
		// Without the form cookie's token the accept is refused.
		other := f.browser(t)
		if status, _, _ := other.do("POST", "/uitnodiging/"+token, url.Values{"_csrf": {"verkeerd"}}); status != 403 {
			t.Fatalf("accept without CSRF: %d", status)
		}
		loc, _ := b.post("/uitnodiging/"+token, landing, url.Values{}, 303)
		if loc != "/scan" {
			t.Fatalf("accept went to %q", loc)
		}
		if b.jar[api.SessionCookie] == "" {
			t.Fatal("no session cookie after accepting")
		}

		home := b.get("/scan")
		for _, want := range []string{"Privacyverklaring", "Ik heb dit gelezen en ga akkoord", "Akkoord en beginnen"} {
			if !strings.Contains(home, want) {
				t.Errorf("consent page lacks %q", want)
			}
		}
		_, body := b.post("/scan/toestemming", home, url.Values{"versie": {"1"}}, 422)
		if !strings.Contains(body, "Er is een probleem") || !strings.Contains(body, `href="#akkoord"`) {
			t.Fatalf("consent without the box ticked: no error summary\n%s", body)
		}
		// Steps cannot be opened before consent.
		if status, _, h := b.do("GET", "/scan/stap/1", nil); status != 303 || h.Get("Location") != "/scan" {
			t.Fatalf("step before consent: %d %s", status, h.Get("Location"))
		}
		loc, _ = b.post("/scan/toestemming", home, url.Values{"akkoord": {"ja"}, "versie": {"1"}}, 303)
		if loc != "/scan/stap/1" {
			t.Fatalf("consent went to %q", loc)
		}

		ans := sample.Flagged()
		ans["N5"] = scanHostileAnswer
		for n := 1; n <= 8; n++ {
			path := "/scan/stap/" + strconv.Itoa(n)
			page := b.get(path)
			if want := "Stap " + strconv.Itoa(n) + " van 8"; !strings.Contains(page, want) {
				t.Fatalf("step %d lacks %q", n, want)
			}
			form := scanForm(t, page, ans)
			form.Set("actie", "verder")
			loc, _ := b.post(path, page, form, 303)
			want := "/scan/stap/" + strconv.Itoa(n+1)
			if n == 8 {
				want = "/scan/controleren"
			}
			if loc != want {
				t.Fatalf("step %d went to %q, want %q", n, loc, want)
			}
			if n == 1 {
				overview := b.get("/scan")
				for _, want := range []string{"Uw weerbaarheidsscan", "Stap 1: Kandidatuur", "Klaar", "Nog niet klaar", `href="/scan/stap/2">Verder met de scan`} {
					if !strings.Contains(overview, want) {
						t.Errorf("overview lacks %q", want)
					}
				}
			}
		}
		// The saved answers show on the step page again (N5 appeared
		// because N1 has items).
		step2 := b.get("/scan/stap/2")
		for _, want := range []string{`value="Stichting Sportpark De Linden"`, `&lt;b&gt;vet&lt;/b&gt;`, `value="geen" checked`} {
			if !strings.Contains(step2, want) {
				t.Errorf("step 2 lacks %q", want)
			}
		}
		if regexp.MustCompile(`data-question="N5"[^>]*hidden`).MatchString(step2) {
			t.Error("N5 hidden although N1 has items")
		}

		review := b.get("/scan/controleren")
		for _, want := range []string{"Controleer uw antwoorden", "Stichting Sportpark De Linden", "Versturen", "&lt;b&gt;vet&lt;/b&gt;", "Wijzigen"} {
			if !strings.Contains(review, want) {
				t.Errorf("review lacks %q", want)
			}
		}
		if strings.Contains(review, "Nog niet beantwoord") {
			t.Fatalf("review shows missing answers after a complete walk")
		}
		loc, _ = b.post("/scan/indienen", review, url.Values{}, 303)
		if loc != "/scan/ontvangen" {
			t.Fatalf("submit went to %q", loc)
		}
		receipt := b.get("/scan/ontvangen")
		if !strings.Contains(receipt, "Uw scan is ingediend") || !strings.Contains(receipt, "Wat gebeurt er nu?") {
			t.Fatalf("receipt page:\n%s", receipt)
		}
		f.waitStatus(t, cid, "profiled")

		// The committee reads what was entered in the forms.
		got := f.e.With(t).Must(200, "GET", "/api/v1/candidates/"+cid+"/answers", f.com, nil).Map(t)
		answers, _ := got["answers"].(map[string]any)
		for _, id := range []string{"K1", "K3", "N5", "NT4", "W4", "W1_soort"} {
			if fmt.Sprint(answers[id]) != fmt.Sprint(ans[id]) {
				t.Errorf("answer %s: got %v, want %v", id, answers[id], ans[id])
			}
		}
		n1, _ := answers["N1"].([]any)
		if len(n1) != 1 || n1[0].(map[string]any)["sinds"] != "2018-03-01" || n1[0].(map[string]any)["uren_per_maand"] != float64(6) {
			t.Errorf("N1: %v", answers["N1"])
		}
		if l, ok := answers["N2"].([]any); !ok || len(l) != 0 {
			t.Errorf("N2 (none) should be an empty list: %#v", answers["N2"])
		}

		// After submitting: the status page, the answers read-only, the
		// export page; a step redirects.
		home = b.get("/scan")
		if !strings.Contains(home, "Uw scan is ingediend") {
			t.Fatalf("home after submit:\n%s", home)
		}
		if ro := b.get("/scan/controleren"); strings.Contains(ro, "Versturen") || strings.Contains(ro, "Wijzigen") {
			t.Error("review after submit still offers changes")
		}
		if status, _, _ := b.do("GET", "/scan/stap/1", nil); status != 303 {
			t.Errorf("step after submit: %d", status)
		}
		if exp := b.get("/scan/export"); !strings.Contains(exp, `href="/api/v1/me/export"`) {
			t.Error("export page lacks the download link")
		}
		if status, body, h := b.do("GET", "/api/v1/me/export", nil); status != 200 || !strings.Contains(h.Get("Content-Disposition"), "attachment") || !strings.Contains(body, `"answers"`) {
			t.Errorf("export download: %d %s", status, h.Get("Content-Disposition"))
		}
		b.get("/scan/later")
		b.get("/scan/reactie")
		b.get("/scan/terugtrekken")

		// Escaping: the hostile name and answer never appear raw.
		for i, pg := range b.pages {
			if strings.Contains(pg, scanHostileName) || strings.Contains(pg, "<b>vet</b>") || strings.Contains(pg, "Partij <A>") {
				t.Fatalf("page %d shows raw HTML from data:\n%s", i, pg)
			}
			if strings.Contains(pg, `id="inhoud"`) && strings.Contains(pg, "Uitloggen") && !strings.Contains(pg, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("page %d does not show the escaped name", i)
			}
		}
	})

	t.Run("validation keeps the entered values and saves nothing", func(t *testing.T) {
		b, _ := f.start(t, "Vera", "vera@test.nl")
		page := b.get("/scan/stap/2")
		if !strings.Contains(page, `data-show-if="`) {
			t.Error("no live show_if conditions on step 2")
		}
		form := scanForm(t, page, map[string]any{
			"N1": []any{map[string]any{"organisatie": "Voetbalclub <Noord>", "rol": "bestuur", "betaald": false, "uren_per_maand": 4,
				"sinds": "1-3-2018", "relatie_gemeente": false}},
			"N3": []any{"geen"},
			"N4": false,
		})
		form.Set("actie", "verder")
		_, body := b.post("/scan/stap/2", page, form, 422)
		for _, want := range []string{
			"Er is een probleem",
			`href="#N1-0-sinds"`,
			`id="N1-0-sinds-error"`,
			`value="1-3-2018"`,
			`value="Voetbalclub &lt;Noord&gt;"`,
			"Nevenfunctie 1: vul bij de begindatum een datum in",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("422 page lacks %q", want)
			}
		}
		input := regexp.MustCompile(`<input[^>]*id="N1-0-sinds"[^>]*>`).FindString(body)
		if !strings.Contains(input, `aria-describedby="N1-0-sinds-hint N1-0-sinds-error"`) || !strings.Contains(input, `aria-invalid="true"`) {
			t.Errorf("the date input is not linked to its message: %s", input)
		}
		if regexp.MustCompile(`id="N3-geen"[^>]*checked`).FindString(body) == "" && !strings.Contains(body, `value="geen" checked`) {
			t.Error("the ticked box was not kept")
		}
		// Nothing of that request was saved.
		again := b.get("/scan/stap/2")
		if strings.Contains(again, "Voetbalclub") || strings.Contains(again, `value="geen" checked`) || strings.Contains(again, `value="nee" checked`) {
			t.Error("a rejected save stored answers")
		}

		// "None" ticked next to a filled-in item is a problem of the form.
		form = scanForm(t, again, map[string]any{"N1": []any{map[string]any{"organisatie": "Club"}}})
		form.Set("N1.leeg", "ja")
		form.Set("actie", "verder")
		_, body = b.post("/scan/stap/2", again, form, 422)
		if !strings.Contains(body, `href="#N1-leeg"`) {
			t.Errorf("conflict of none and an item not reported on the checkbox")
		}

		// Submitting with missing answers: the review page with a summary.
		review := b.get("/scan/controleren")
		if !strings.Contains(review, "Nog niet beantwoord") {
			t.Error("review does not mark missing answers")
		}
		_, body = b.post("/scan/indienen", review, url.Values{}, 422)
		if !strings.Contains(body, "Er is een probleem") || !strings.Contains(body, `href="#wijzig-K1"`) || !strings.Contains(body, `id="wijzig-K1"`) {
			t.Errorf("submit with missing answers:\n%s", body)
		}
	})

	t.Run("list rows are added and removed without JavaScript", func(t *testing.T) {
		b, _ := f.start(t, "Lars", "lars@test.nl")
		page := b.get("/scan/stap/2")
		form := scanForm(t, page, map[string]any{"N1": []any{map[string]any{"organisatie": "Club A"}}, "N4": false})
		form.Set("actie", "toevoegen:N1")
		_, body := b.post("/scan/stap/2", page, form, 200)
		for _, want := range []string{`value="Club A"`, `id="N1-1-organisatie"`, "Nevenfunctie 2", "Er is een probleem"} {
			if strings.Contains(body, want) != (want != "Er is een probleem") {
				t.Errorf("after add: %q present=%v", want, !strings.Contains(body, want))
			}
		}
		if !regexp.MustCompile(`id="N1-1-organisatie"[^>]*autofocus`).MatchString(body) {
			t.Error("the new row's first field does not get focus")
		}
		// The valid answer of the same request was saved; the incomplete
		// row was not.
		saved := b.get("/scan/stap/2")
		if !strings.Contains(saved, `id="N4-nee" name="N4" value="nee" checked`) {
			t.Error("adding a row did not save the other valid answers")
		}
		if strings.Contains(saved, "Club A") {
			t.Error("an incomplete row was saved")
		}

		form = scanForm(t, body, map[string]any{"N1": []any{
			map[string]any{"organisatie": "Club A"}, map[string]any{"organisatie": "Club B"}, map[string]any{"organisatie": "Club C"},
		}})
		form.Set("actie", "verwijderen:N1:1")
		_, body = b.post("/scan/stap/2", body, form, 200)
		if !strings.Contains(body, `value="Club A"`) || strings.Contains(body, "Club B") || !strings.Contains(body, `value="Club C"`) {
			t.Errorf("remove did not keep the other rows")
		}
		if !regexp.MustCompile(`id="N1-1-organisatie"[^>]*value="Club C"`).MatchString(body) {
			t.Error("rows were not renumbered")
		}
		if !regexp.MustCompile(`id="N1-0-organisatie"[^>]*autofocus`).MatchString(body) {
			t.Error("focus does not go to the previous row")
		}
		// Remove the last row: focus goes to the add button.
		form = scanForm(t, body, map[string]any{"N1": []any{map[string]any{"organisatie": "Club A"}}})
		form.Set("actie", "verwijderen:N1:0")
		_, body = b.post("/scan/stap/2", body, form, 200)
		if strings.Contains(body, `id="N1-0-organisatie"`) || !regexp.MustCompile(`id="N1-toevoegen"[^>]*autofocus`).MatchString(body) {
			t.Error("after removing the last row")
		}

		// Later verder saves and says how to come back.
		page = b.get("/scan/stap/2")
		form = scanForm(t, page, map[string]any{"N3": []any{"geen"}})
		form.Set("actie", "later")
		loc, _ := b.post("/scan/stap/2", page, form, 303)
		if loc != "/scan/later" {
			t.Fatalf("later went to %q", loc)
		}
		if later := b.get("/scan/later"); !strings.Contains(later, "link in die e-mail") {
			t.Error("the later page does not explain how to come back")
		}
		// Without JavaScript a follow-up question that appears makes the
		// step show again.
		page = b.get("/scan/stap/2")
		form = scanForm(t, page, map[string]any{"N4": true})
		form.Set("actie", "verder")
		loc, _ = b.post("/scan/stap/2", page, form, 303)
		if loc != "/scan/stap/2#q-N4_toelichting" {
			t.Errorf("a new follow-up question: went to %q", loc)
		}
		if page = b.get("/scan/stap/2"); regexp.MustCompile(`data-question="N4_toelichting"[^>]*hidden`).MatchString(page) {
			t.Error("N4_toelichting still hidden after N4 = ja")
		}
		// Vorige stap saves too.
		form = scanForm(t, page, map[string]any{"N4": true, "N4_toelichting": "Een huurcontract"})
		form.Set("actie", "vorige")
		if loc, _ = b.post("/scan/stap/2", page, form, 303); loc != "/scan/stap/1" {
			t.Errorf("vorige went to %q", loc)
		}
		if !strings.Contains(b.get("/scan/stap/2"), "Een huurcontract") {
			t.Error("vorige stap did not save")
		}
	})

	t.Run("hearing reply and withdrawal", func(t *testing.T) {
		b, cid := f.start(t, "Hanna", "hanna@test.nl")
		// Fill in and submit the scan through the pages.
		ans := sample.Flagged()
		page := b.get("/scan/stap/1")
		for n := 1; n <= 8; n++ {
			path := "/scan/stap/" + strconv.Itoa(n)
			if n > 1 {
				page = b.get(path)
			}
			form := scanForm(t, page, ans)
			form.Set("actie", "verder")
			b.post(path, page, form, 303)
		}
		review := b.get("/scan/controleren")
		b.post("/scan/indienen", review, url.Values{}, 303)
		f.waitStatus(t, cid, "profiled")

		if h := b.get("/scan/reactie"); !strings.Contains(h, "geen vragen gesteld") {
			t.Error("hearing page without a hearing")
		}
		rule := sample.FlaggedRules[0][0]
		f.e.With(t).Must(201, "POST", "/api/v1/candidates/"+cid+"/hearing", f.com, map[string]any{"flags": []string{rule}, "message": "Graag uw <i>uitleg</i>."})
		home := b.get("/scan")
		if !strings.Contains(home, "De selectiecommissie heeft vragen voor u") || !strings.Contains(home, `href="/scan/reactie"`) {
			t.Error("home does not announce the open hearing")
		}
		hearing := b.get("/scan/reactie")
		for _, want := range []string{"Graag uw &lt;i&gt;uitleg&lt;/i&gt;.", "Reactie versturen", "Wat de commissie zag"} {
			if !strings.Contains(hearing, want) {
				t.Errorf("hearing page lacks %q", want)
			}
		}
		_, body := b.post("/scan/reactie", hearing, url.Values{"reactie": {"  "}}, 422)
		if !strings.Contains(body, "Er is een probleem") || !strings.Contains(body, `aria-describedby="reactie-hint reactie-error"`) {
			t.Error("empty reply not reported")
		}
		loc, _ := b.post("/scan/reactie", hearing, url.Values{"reactie": {"Ik stop als <b>voorzitter</b>."}}, 303)
		if loc != "/scan/reactie" {
			t.Fatalf("reply went to %q", loc)
		}
		hearing = b.get("/scan/reactie")
		if !strings.Contains(hearing, "Ik stop als &lt;b&gt;voorzitter&lt;/b&gt;.") || strings.Contains(hearing, "Reactie versturen") {
			t.Error("the reply is not shown read-only")
		}
		hs := f.e.With(t).Must(200, "GET", "/api/v1/candidates/"+cid+"/hearing", f.com, nil)
		if !strings.Contains(string(hs.Body), "Ik stop als") {
			t.Errorf("the committee does not see the reply: %s", hs.Body)
		}

		// The committee sends the scan back with a message.
		f.e.With(t).Must(200, "POST", "/api/v1/candidates/"+cid+"/reopen", f.com, map[string]string{"message": "Vul <i>F3</i> nog aan."})
		home = b.get("/scan")
		if !strings.Contains(home, "De selectiecommissie heeft uw scan teruggezet") || !strings.Contains(home, "Vul &lt;i&gt;F3&lt;/i&gt; nog aan.") {
			t.Error("home does not show the reopen message")
		}
		if status, _, h := b.do("GET", "/scan/ontvangen", nil); status != 303 || h.Get("Location") != "/scan" {
			t.Errorf("receipt page of a reopened scan: %d", status)
		}
		b.get("/scan/stap/3")

		confirm := b.get("/scan/terugtrekken")
		for _, want := range []string{"Ja, ik trek mij terug", "button-warning", "4 weken"} {
			if !strings.Contains(confirm, want) {
				t.Errorf("withdraw page lacks %q", want)
			}
		}
		if got := f.status(t, cid); got != "in_progress" {
			t.Fatalf("opening the withdraw page changed the status: %s", got)
		}
		loc, _ = b.post("/scan/terugtrekken", confirm, url.Values{}, 303)
		if loc != "/scan" {
			t.Fatalf("withdraw went to %q", loc)
		}
		if home := b.get("/scan"); !strings.Contains(home, "U hebt zich teruggetrokken") {
			t.Error("home after withdrawal")
		}
		if got := f.status(t, cid); got != "withdrawn" {
			t.Fatalf("status after withdrawal: %s", got)
		}
		if again := b.get("/scan/terugtrekken"); strings.Contains(again, "Ja, ik trek mij terug") {
			t.Error("withdraw offered twice")
		}
	})

	t.Run("invitation errors", func(t *testing.T) {
		b := f.browser(t)
		landing := b.get("/uitnodiging/onbekend-token")
		if status, _, _ := b.do("POST", "/uitnodiging/onbekend-token", url.Values{"_csrf": {scanCSRF(t, landing)}}); status != 404 {
			t.Errorf("unknown token: %d", status)
		}
		email := "revoked@test.nl"
		cid := f.invite(t, "Rik", email)
		token := f.e.With(t).InvitationToken(email)
		f.e.With(t).Must(200, "POST", "/api/v1/candidates/"+cid+"/revoke", f.board, nil)
		landing = b.get("/uitnodiging/" + token)
		status, body, _ := b.do("POST", "/uitnodiging/"+token, url.Values{"_csrf": {scanCSRF(t, landing)}})
		if status != 410 || !strings.Contains(body, "Deze link werkt niet meer") {
			t.Errorf("revoked invitation: %d", status)
		}
		// Candidate pages need a candidate session.
		if status, _, _ := b.do("GET", "/scan", nil); status != 303 {
			t.Errorf("anonymous /scan: %d", status)
		}
	})
}

// TestScanBrowser drives the scan pages in headless Chromium: scan.js
// (autosave, live follow-up questions, list rows), keyboard focus, axe and
// the 375 px layout. It skips without Chromium.
func TestScanBrowser(t *testing.T) {
	br := e2e.New(t)
	f := newScanFix(t)
	base := f.e.Listen()
	email := "browser@test.nl"
	cid := f.invite(t, scanHostileName, email)
	token := f.e.InvitationToken(email)
	tab := br.Tab(t)

	tab.Go(base + "/uitnodiging/" + token)
	tab.Check("uitnodiging")
	tab.Press("Start de scan")
	tab.Check("toestemming")
	tab.Choose("Toestemming", "Ik heb dit gelezen en ga akkoord")
	tab.Press("Akkoord en beginnen")
	if !strings.HasSuffix(tab.URL(), "/scan/stap/1") {
		t.Fatalf("after consent: %s", tab.URL())
	}
	tab.Check("stap-1")

	status := func() string { return e2e.Eval[string](tab, `document.querySelector("[data-autosave]").textContent`) }
	waitStatus := func(prefix string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.HasPrefix(status(), prefix) {
			if time.Now().After(deadline) {
				t.Fatalf("autosave status %q, want %q…", status(), prefix)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	clearStatus := func() { e2e.Eval[bool](tab, `(document.querySelector("[data-autosave]").textContent = "", true)`) }

	// Autosave of a radio group.
	tab.Choose("Woont u in de gemeente", "Ja")
	waitStatus("Opgeslagen om ")

	// A list row: filled in with an invalid date → the server's message.
	clearStatus()
	tab.Fill("Werkgever", "Zorggroep <Noord>")
	tab.Fill("Functie", "verpleegkundige")
	tab.Fill("Uren per week", "28")
	tab.Fill("Sinds wanneer?", "1-2-2016")
	tab.Choose("Werkt u bij deze gemeente", "Nee")
	waitStatus("Niet opgeslagen: Baan 1:")
	if !e2e.Eval[bool](tab, `document.querySelector("[data-autosave]").classList.contains("failed") && !!document.getElementById("K2-autosave-error")`) {
		t.Error("a failed save is not shown next to the question")
	}
	clearStatus()
	tab.Fill("Sinds wanneer?", "2016-02-01")
	tab.Keys("Tab") // change event
	waitStatus("Opgeslagen om ")
	if e2e.Eval[bool](tab, `!!document.getElementById("K2-autosave-error")`) {
		t.Error("the error stays after a good save")
	}

	// Add a row without a reload: focus moves into it; remove it again.
	tab.Press("Nog een baan toevoegen")
	if got := tab.Focused(); !strings.Contains(got, "input#K2-1-werkgever") {
		t.Fatalf("focus after add: %s", got)
	}
	if !strings.Contains(tab.Text(), "Baan 2") {
		t.Error("the new row has no numbered legend")
	}
	tab.Within(`[data-list-items] > [data-list-item]:nth-child(2)`).Press("Verwijderen")
	if got := tab.Focused(); !strings.Contains(got, "input#K2-0-werkgever") {
		t.Fatalf("focus after remove: %s", got)
	}
	if n := e2e.Eval[int](tab, `document.querySelectorAll("#q-K2 [data-list-item]").length`); n != 1 {
		t.Errorf("%d rows after removing one of two", n)
	}
	if !strings.Contains(status(), "Baan 2 is verwijderd") {
		t.Errorf("removal not announced: %q", status())
	}

	// Enter in a text field saves and goes on (it never presses Verwijderen).
	tab.Choose("Voor welke rol", "Raadslid")
	tab.Fill("Functie", "wijkverpleegkundige")
	tab.Keys("Enter")
	if !strings.HasSuffix(tab.URL(), "/scan/stap/2") {
		t.Fatalf("Enter went to %s", tab.URL())
	}

	// Follow-up questions appear and disappear as the answer changes.
	hidden := func(id string) bool {
		return e2e.Eval[bool](tab, `document.getElementById("q-`+id+`").hidden`)
	}
	if !hidden("N4_toelichting") || !hidden("N5") {
		t.Error("follow-up questions visible before their answer")
	}
	tab.Choose("Sluit u, uw bedrijf", "Ja")
	if hidden("N4_toelichting") {
		t.Error("N4_toelichting did not appear")
	}
	tab.Choose("Sluit u, uw bedrijf", "Nee")
	if !hidden("N4_toelichting") {
		t.Error("N4_toelichting did not disappear")
	}
	tab.Within("#q-N1").Fill("Organisatie", "Sportclub")
	if hidden("N5") {
		t.Error("N5 did not appear for a nevenfunctie")
	}
	// An exclusive option unticks the others.
	tab.Choose("Vervult u een van deze functies?", "Burgemeester")
	tab.Choose("Vervult u een van deze functies?", "Geen van deze functies")
	if e2e.Eval[bool](tab, `document.getElementById("N3-burgemeester").checked`) {
		t.Error("ticking „Geen” kept another option")
	}
	// "None" for a list hides its rows and saves an empty list.
	clearStatus()
	tab.Choose("Welke nevenfuncties hebt u de afgelopen 5 jaar", "Ik heb de afgelopen 5 jaar geen nevenfuncties beëindigd")
	waitStatus("Opgeslagen om ")
	tab.Check("stap-2")

	// Everything saved so far is on the server.
	k, err := f.e.Sys.Store.Candidate(t.Context(), cid)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := f.e.Sys.Store.Answers(t.Context(), k)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"K3": "true", "N4": "false", "N3": "[geen]", "N2": "[]",
		"K2": "[map[bij_deze_gemeente:false functie:wijkverpleegkundige sinds:2016-02-01 uren_per_week:28 werkgever:Zorggroep <Noord>]]"} {
		if got := fmt.Sprint(ans[id]); got != want {
			t.Errorf("saved %s = %s, want %s", id, got, want)
		}
	}

	for _, pg := range []struct{ path, name string }{
		{"/scan", "overzicht"}, {"/scan/controleren", "controleren"}, {"/scan/later", "later"},
		{"/scan/export", "export"}, {"/scan/reactie", "reactie"}, {"/scan/terugtrekken", "terugtrekken"},
	} {
		tab.Go(base + pg.path)
		tab.Check(pg.name)
	}
	// The review page with its error summary.
	tab.Go(base + "/scan/controleren")
	tab.Press("Versturen")
	if !strings.HasPrefix(tab.Focused(), "h2#error-summary-title") {
		t.Errorf("focus after a failed submit: %s", tab.Focused())
	}
	tab.Check("controleren-fout")
}
