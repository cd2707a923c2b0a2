package api_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var referentLink = regexp.MustCompile(`/referentie/([A-Za-z0-9_-]{43})`)

// referentToken waits for the newest referent mail (request or reminder)
// to addr in the dev outbox and returns its link's token.
func referentToken(t *testing.T, f *fixture, addr, subject string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ms := f.e.Mails()
		for i := len(ms) - 1; i >= 0; i-- {
			if m := referentLink.FindStringSubmatch(ms[i].BodyText); ms[i].ToAddr == addr && strings.Contains(ms[i].Subject, subject) && m != nil {
				return m[1]
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no referent mail %q for %s", subject, addr)
	return ""
}

var refAnswers = map[string]any{"R1": "werk", "R2": "langer_dan_5", "R3": "Zijn leidinggevende bij de thuiszorg",
	"R4": "Altijd netjes: VERTROUWELIJK-ANTWOORD-4", "R5": "Rustig en open.", "R6": "Zegt nee tegen zijn zwager.",
	"R7": "nee", "R8": true, "R8_telefoon": "06 12345678"}

// askAndName runs the committee's request and the candidate's naming on
// the fixture's profiled file.
func askAndName(t *testing.T, f *fixture) {
	t.Helper()
	cand := v1 + "/candidates/" + f.profiled + "/references"
	r := f.e.Must(201, "POST", cand, f.tok["committee"], map[string]any{})
	if m := r.Map(t); m["wanted"] != float64(2) || m["asked"] != true || m["can_send"] != false {
		t.Fatalf("request: %s", r.Body)
	}
	f.e.WaitMail("piet@test.nl", "Referenties gevraagd")
	f.e.Must(200, "PUT", v1+"/me/references", f.tok["candidate"], map[string]any{"consent": true, "referents": []map[string]string{
		{"name": "Karel Kok", "email": "karel@ref.nl", "relation": "werkgever"},
		{"name": "Sara Smit", "email": "sara@ref.nl", "relation": "bestuur van de voetbalclub"}}})
}

// TestReferencesFlow: ask, name with consent, send, answer once; the
// committee reads the answers, the candidate only who answered.
func TestReferencesFlow(t *testing.T) {
	f := newFixture(t)
	cand := v1 + "/candidates/" + f.profiled + "/references"
	me := v1 + "/me/references"

	// Nothing asked yet: the candidate sees nothing to do, and cannot name.
	if m := f.e.Must(200, "GET", me, f.tok["candidate"], nil).Map(t); m["asked"] != false {
		t.Fatalf("asked before the committee asked: %v", m)
	}
	r := f.e.Must(409, "PUT", me, f.tok["candidate"], map[string]any{"consent": true, "referents": []any{}})
	if code, _ := errCode(t, r); code != "geen_referenties" {
		t.Fatalf("code %s", code)
	}
	// Sending before naming is refused.
	f.e.Must(201, "POST", cand, f.tok["committee"], map[string]any{})
	r = f.e.Must(409, "POST", cand+"/send", f.tok["committee"], map[string]any{})
	if code, _ := errCode(t, r); code != "referenten_onbekend" {
		t.Fatalf("code %s", code)
	}
	if code, _ := errCode(t, f.e.Must(409, "POST", cand, f.tok["committee2"], map[string]any{})); code != "referenties_gevraagd" {
		t.Fatalf("second request: %s", code)
	}

	// The candidate's naming: every problem is named per field.
	for _, tc := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"one too few", map[string]any{"consent": true, "referents": []map[string]string{{"name": "A", "email": "a@ref.nl", "relation": "werk"}}}, []string{"referents"}},
		{"no consent, blanks, bad address", map[string]any{"consent": false, "referents": []map[string]string{
			{"name": " ", "email": "geen-adres", "relation": ""}, {"name": "B", "email": "b@ref.nl", "relation": "buurt"}}},
			[]string{"consent", "referents.0.email", "referents.0.name", "referents.0.relation"}},
		{"twice the same address", map[string]any{"consent": true, "referents": []map[string]string{
			{"name": "A", "email": "a@ref.nl", "relation": "werk"}, {"name": "B", "email": "A@ref.nl", "relation": "buurt"}}}, []string{"referents.1.email"}},
		{"own address", map[string]any{"consent": true, "referents": []map[string]string{
			{"name": "A", "email": "piet@test.nl", "relation": "werk"}, {"name": "B", "email": "b@ref.nl", "relation": "buurt"}}}, []string{"referents.0.email"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.e.Must(422, "PUT", me, f.tok["candidate"], tc.body)
			_, fields := errCode(t, r)
			var got []string
			for k := range fields {
				got = append(got, k)
			}
			for _, want := range tc.fields {
				if _, ok := fields[want]; !ok {
					t.Errorf("field %s not refused (got %v)", want, got)
				}
			}
			if len(fields) != len(tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
	askBody := map[string]any{"consent": true, "referents": []map[string]string{
		{"name": "Karel Kok", "email": "karel@ref.nl", "relation": "werkgever"},
		{"name": "Sara Smit", "email": "sara@ref.nl", "relation": "bestuur van de voetbalclub"}}}
	own := f.e.Must(200, "PUT", me, f.tok["candidate"], askBody).Map(t)
	if own["editable"] != true || len(own["referents"].([]any)) != 2 {
		t.Fatalf("own view: %v", own)
	}
	// The committee sends (the candidate's naming sent nothing).
	if n := len(f.e.Mails()); strings.Contains(mailSubjects(f), "Verzoek om een referentie") {
		t.Fatalf("naming sent mail (%d mails)", n)
	}
	sent := f.e.Must(200, "POST", cand+"/send", f.tok["committee"], map[string]any{"days": 10}).Map(t)
	if sent["sent_at"] == nil || sent["can_send"] != false {
		t.Fatalf("send: %v", sent)
	}
	if code, _ := errCode(t, f.e.Must(409, "PUT", me, f.tok["candidate"], askBody)); code != "referenties_verstuurd" {
		t.Fatalf("rename after send: %s", code)
	}
	karel := referentToken(t, f, "karel@ref.nl", "Verzoek om een referentie")
	sara := referentToken(t, f, "sara@ref.nl", "Verzoek om een referentie")

	// The referent's page: who asks about whom, the questions; nothing of the file.
	form := f.e.Must(200, "GET", v1+"/references/"+karel, "", nil)
	for _, leak := range []string{"piet@test.nl", "level", "flags", "sara@ref.nl", "Sara", "karel@ref.nl"} {
		if strings.Contains(string(form.Body), leak) {
			t.Errorf("the referent's form contains %q", leak)
		}
	}
	if m := form.Map(t); m["candidate"] != "Piet" || m["party"] != "Partij A" {
		t.Errorf("form: %v", m)
	}
	// Incomplete: every missing required question is named.
	r = f.e.Must(422, "POST", v1+"/references/"+karel, "", map[string]any{"answers": map[string]any{"R1": "werk"}})
	if _, fields := errCode(t, r); fields["R4"] == nil || fields["R8"] == nil || fields["R8_telefoon"] != nil {
		t.Errorf("missing fields: %v", fields)
	}
	f.e.Must(422, "POST", v1+"/references/"+karel, "", map[string]any{"answers": map[string]any{"R1": "bestaat-niet"}})
	f.e.Must(200, "POST", v1+"/references/"+karel, "", map[string]any{"answers": refAnswers})
	// Once: the link is used up.
	f.e.Must(410, "POST", v1+"/references/"+karel, "", map[string]any{"answers": refAnswers})
	f.e.Must(410, "GET", v1+"/references/"+karel, "", nil)
	f.e.Must(404, "GET", v1+"/references/onbekend-token", "", nil)

	// The committee reads the answers beside the profile.
	com := f.e.Must(200, "GET", cand, f.tok["committee"], nil)
	if !strings.Contains(string(com.Body), "VERTROUWELIJK-ANTWOORD-4") || !strings.Contains(string(com.Body), "Via het werk") {
		t.Fatalf("committee view lacks the answers: %s", com.Body)
	}
	if m := com.Map(t); m["answered"] != float64(1) {
		t.Errorf("answered %v", m["answered"])
	}
	// The candidate sees who answered, not what.
	mine := f.e.Must(200, "GET", me, f.tok["candidate"], nil)
	if strings.Contains(string(mine.Body), "VERTROUWELIJK") || strings.Contains(string(mine.Body), "R4") || strings.Contains(string(mine.Body), "06 12345678") {
		t.Fatalf("the candidate reads an answer: %s", mine.Body)
	}
	statuses := map[string]string{}
	for _, x := range mine.Map(t)["referents"].([]any) {
		m := x.(map[string]any)
		statuses[m["email"].(string)] = m["status"].(string)
	}
	if statuses["karel@ref.nl"] != "beantwoord" || statuses["sara@ref.nl"] != "gevraagd" {
		t.Errorf("statuses %v", statuses)
	}
	// Every read and write is in the access log.
	log := string(f.e.Must(200, "GET", v1+"/candidates/"+f.profiled+"/audit", f.tok["committee"], nil).Body)
	for _, a := range []string{"references.request", "references.name", "references.send", "references.answer", "references.read"} {
		if !strings.Contains(log, a) {
			t.Errorf("access log lacks %s", a)
		}
	}

	// Expiry: Sara's link answers 410 after its term (10 days).
	f.clock.Advance(11 * 24 * time.Hour)
	f.e.Must(410, "GET", v1+"/references/"+sara, "", nil)
	f.e.Must(410, "POST", v1+"/references/"+sara, "", map[string]any{"answers": refAnswers})
	f.tok["committee"] = f.e.Login("committee@test.nl", "wachtwoord-van-test-1") // the session idled out
	com = f.e.Must(200, "GET", cand, f.tok["committee"], nil)
	if !strings.Contains(string(com.Body), `"status":"verlopen"`) {
		t.Errorf("expired referent not shown as verlopen: %s", com.Body)
	}
}

func mailSubjects(f *fixture) string {
	var b strings.Builder
	for _, m := range f.e.Mails() {
		b.WriteString(m.Subject + "\n")
	}
	return b.String()
}

// TestReferencesAccess: only the committee of the file's party reads the
// answers; the board, the candidate, another party, a recused member and a
// referent's token read nothing of them.
func TestReferencesAccess(t *testing.T) {
	f := newFixture(t)
	askAndName(t, f)
	cand := v1 + "/candidates/" + f.profiled + "/references"
	f.e.Must(200, "POST", cand+"/send", f.tok["committee"], map[string]any{})
	karel := referentToken(t, f, "karel@ref.nl", "Verzoek om een referentie")
	sara := referentToken(t, f, "sara@ref.nl", "Verzoek om een referentie")
	f.e.Must(200, "POST", v1+"/references/"+karel, "", map[string]any{"answers": refAnswers})

	f.e.AddMember(f.tok["admin"], f.pid, map[string]any{"email": "recused@test.nl", "name": "Ria Recused", "role": "commissie", "password": "wachtwoord-van-test-1"})
	f.tok["recused"] = f.e.Login("recused@test.nl", "wachtwoord-van-test-1")
	f.e.Must(201, "POST", v1+"/candidates/"+f.profiled+"/recusal", f.tok["recused"], map[string]string{"reason": "Familie"})

	for _, tc := range []struct {
		who, method, path string
		status            int
	}{
		{"board", "GET", cand, 403},
		{"board", "POST", cand, 403},
		{"board", "POST", cand + "/send", 403},
		{"otherCommittee", "GET", cand, 404},
		{"otherBoard", "GET", cand, 404},
		{"recused", "GET", cand, 404},
		{"recused", "POST", cand + "/send", 404},
		{"candidate", "GET", cand, 404},
		{"otherCandidate", "GET", cand, 404},
		{"board", "GET", v1 + "/me/references", 403},
		{"committee", "PUT", v1 + "/me/references", 403},
		{"admin", "GET", cand, 404},
	} {
		t.Run(tc.who+" "+tc.method+" "+tc.path, func(t *testing.T) {
			r := f.e.Do(tc.method, tc.path, f.tok[tc.who], "{}")
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if strings.Contains(string(r.Body), "VERTROUWELIJK") || strings.Contains(string(r.Body), "karel@ref.nl") {
				t.Fatal("leaks the references")
			}
		})
	}
	// Another candidate sees only their own (nothing asked).
	if b := string(f.e.Must(200, "GET", v1+"/me/references", f.tok["otherCandidate"], nil).Body); strings.Contains(b, "karel") {
		t.Fatalf("another candidate sees the referents: %s", b)
	}
	// A referent's token is no session, and opens only its own form.
	for _, tok := range []string{karel, sara} {
		for _, p := range []string{cand, v1 + "/me/references", v1 + "/candidates/" + f.profiled + "/profile"} {
			if r := f.e.Do("GET", p, tok, nil); r.Status != 401 {
				t.Errorf("token as session on %s: %d", p, r.Status)
			}
		}
	}
	b := string(f.e.Must(200, "GET", v1+"/references/"+sara, "", nil).Body)
	if strings.Contains(b, "VERTROUWELIJK") || strings.Contains(b, "Karel") || strings.Contains(b, "karel@ref.nl") {
		t.Fatalf("one referent's form shows another's: %s", b)
	}
	// The board's view of the file does not change.
	board := string(f.e.Must(200, "GET", v1+"/candidates/"+f.profiled, f.tok["board"], nil).Body)
	if strings.Contains(board, "refer") || strings.Contains(board, "Karel") {
		t.Fatalf("board view mentions references: %s", board)
	}
}

// TestReferencesPartySetting: the party's number is the default; 0 turns
// references off unless the committee chooses a number; 0–5 only.
func TestReferencesPartySetting(t *testing.T) {
	f := newFixture(t)
	party := v1 + "/parties/" + f.pid
	if m := f.e.Must(200, "GET", party, f.tok["committee"], nil).Map(t); m["references_required"] != float64(2) {
		t.Fatalf("default: %v", m["references_required"])
	}
	f.e.Must(422, "PATCH", party, f.tok["board"], map[string]any{"references_required": 6})
	f.e.Must(403, "PATCH", party, f.tok["committee"], map[string]any{"references_required": 3})
	if m := f.e.Must(200, "PATCH", party, f.tok["board"], map[string]any{"references_required": 0}).Map(t); m["references_required"] != float64(0) {
		t.Fatalf("set 0: %v", m)
	}
	cand := v1 + "/candidates/" + f.profiled + "/references"
	if code, _ := errCode(t, f.e.Must(409, "POST", cand, f.tok["committee"], map[string]any{})); code != "referenties_uit" {
		t.Fatalf("code %s", code)
	}
	f.e.Must(422, "POST", cand, f.tok["committee"], map[string]any{"count": 9})
	if m := f.e.Must(201, "POST", cand, f.tok["committee"], map[string]any{"count": 1}).Map(t); m["wanted"] != float64(1) {
		t.Fatalf("count 1: %v", m)
	}
	// A file that has not started, or was withdrawn, takes no request.
	if code, _ := errCode(t, f.e.Must(409, "POST", v1+"/candidates/"+f.invited+"/references", f.tok["committee"], map[string]any{"count": 2})); code != "referenties_status" {
		t.Fatalf("invited: %s", code)
	}
}
