package mail

import (
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/questionnaires"
	"github.com/weerbaar/weerbaar/screening"
)

// Issue 14: every mail a candidate or a referent gets is in English when
// the candidate chose English. These tests fail when an English mail
// still carries Dutch, when a sentence given to tr has no English in
// i18n/en.yaml, and when a mail kind is added without saying whether its
// readers get English.

// Names without Dutch words, so that any marker word found is the mail's.
const (
	enParty    = "Volt Utrecht"
	enPerson   = "Anna Smith"
	enReferent = "Karel Smit"
	enRound    = "Council 2026"
)

type langCase struct {
	kind string // the mail kind (models.Mail…) this mail is sent as
	name string
	msg  func(lang, party, person, link string) Message
	want map[string][]string // per language, in Text and HTML
}

// candidateMails are the mails a candidate or a referent reads, each
// rendered in the language asked for.
func candidateMails() []langCase {
	return []langCase{
		{"invitation", "invitation", func(l, party, person, link string) Message {
			return Invitation(InvitationData{Party: party, Candidate: person, Round: enRound, Office: "raadslid", Link: link, Expires: testExpires, Deadline: testDeadline, Lang: l})
		}, map[string][]string{"en": {"Dear " + enPerson + ",", "5 December 2026 at 23:59", "1 December 2026", "municipal councillor", "selection committee", "final advice", "Do not forward"},
			"nl": {"Beste " + enPerson + ",", "5 december 2026 om 23:59 uur", "raadslid", alsoInEnglish}}},
		{"reminder", "reminder", func(l, party, person, link string) Message {
			return Reminder(ReminderData{Party: party, Candidate: person, Round: enRound, Link: link, Expires: testExpires, Deadline: testDeadline, DaysLeft: 3, Lang: l})
		}, map[string][]string{"en": {"3 more days", "1 December 2026", "Earlier links no longer work"}, "nl": {"nog 3 dagen"}}},
		{"receipt", "receipt", func(l, party, person, link string) Message {
			return Receipt(ReceiptData{Party: party, Candidate: person, Round: enRound, SubmittedAt: testDeadline, NewLinkURL: link, Lang: l})
		}, map[string][]string{"en": {"received", "1 December 2026 at 13:00", "download", "withdraw"}, "nl": {"ontvangen"}}},
		{"receipt", "receipt without a link page", func(l, party, person, link string) Message {
			return Receipt(ReceiptData{Party: party, Candidate: person, Round: enRound, SubmittedAt: testDeadline, Lang: l})
		}, map[string][]string{"en": {"on the Weerbaar website"}, "nl": {"dat kan op de website van Weerbaar"}}},
		{"link", "new link", func(l, party, person, link string) Message {
			return NewLink(LinkData{Party: party, Candidate: person, Round: enRound, Link: link, Expires: testExpires, Lang: l})
		}, map[string][]string{"en": {"new link", "5 December 2026"}, "nl": {"nieuwe link"}}},
		{"reopen", "reopen", func(l, party, person, link string) Message {
			return ReopenNotice(ReopenData{Party: party, Candidate: person, Round: enRound, Link: link, Expires: testExpires, Lang: l})
		}, map[string][]string{"en": {"sent back", "5 December 2026"}, "nl": {"teruggestuurd"}}},
		{"hearing", "hearing", func(l, party, person, link string) Message {
			return HearingNotice(HearingData{Party: party, Candidate: person, Link: link, ReplyDue: testDeadline, Lang: l})
		}, map[string][]string{"en": {"questions", "1 December 2026", "written response"}, "nl": {"schriftelijke reactie"}}},
		{"references_asked", "references asked", func(l, party, person, link string) Message {
			return ReferencesAsked(ReferencesAskedData{Party: party, Candidate: person, Round: enRound, Wanted: 2, NewLinkURL: link, Lang: l})
		}, map[string][]string{"en": {"2 referees", "consent", "References"}, "nl": {"2 referenten"}}},
		{"references_asked", "one reference asked", func(l, party, person, link string) Message {
			return ReferencesAsked(ReferencesAskedData{Party: party, Candidate: person, Round: enRound, Wanted: 1, NewLinkURL: link, Lang: l})
		}, map[string][]string{"en": {"1 referee "}, "nl": {"1 referent "}}},
		{"reference", "reference request", func(l, party, person, link string) Message {
			return ReferenceRequest(ReferenceRequestData{Party: party, Referent: enReferent, Candidate: person, Office: "wethouder", Link: link, Expires: testExpires, Lang: l})
		}, map[string][]string{"en": {"Dear " + enReferent + ",", "alderman", "5 December 2026", "voluntary", referentAlsoInDutch}, "nl": {"wethouder", referentAlsoInEnglish}}},
		{"reference", "reference request without office", func(l, party, person, link string) Message {
			return ReferenceRequest(ReferenceRequestData{Party: party, Referent: enReferent, Candidate: person, Link: link, Expires: testExpires, Lang: l})
		}, map[string][]string{"en": {"a political office"}, "nl": {"een politieke functie"}}},
		{"reference_reminder", "reference reminder", func(l, party, person, link string) Message {
			return ReferenceReminder(ReferenceReminderData{Party: party, Referent: enReferent, Candidate: person, Link: link, Expires: testExpires, DaysLeft: 2, Lang: l})
		}, map[string][]string{"en": {"2 more days", "Earlier links no longer work", referentAlsoInDutch}, "nl": {"nog 2 dagen", referentAlsoInEnglish}}},
		{"reference_reminder", "reference reminder, last day", func(l, party, person, link string) Message {
			return ReferenceReminder(ReferenceReminderData{Party: party, Referent: enReferent, Candidate: person, Link: link, Expires: testExpires, DaysLeft: 1, Lang: l})
		}, map[string][]string{"en": {"1 more day "}, "nl": {"nog 1 dag "}}},
	}
}

// dutchOnlyKinds are read by the committee, the board or an account
// holder: they stay Dutch (issue 14: the committee reads Dutch).
var dutchOnlyKinds = map[string]bool{
	"setup": true, "profile_ready": true, "advice": true, "membership": true, "member_notice": true,
	"password_reset": true, "password_changed": true,
}

// dutchMarkers are words that only a Dutch sentence has: the issue's
// marker words and the mails' own Dutch terms.
var dutchMarkers = regexp.MustCompile(`(?i)\b(de|het|uw|een|niet|en|van|voor|met|naar|bij|beste|groet|werkt|weerbaarheidsscan|selectiecommissie|selectieronde|partijbestuur|referenties|referenten|uitnodiging|herinnering|kandidaat|dossier|lezer|verstuurd|beantwoorden|nederlands)\b`)

// englishForbidden: the English words for what a mail must never carry.
var englishForbidden = regexp.MustCompile(`(?i)\b(orange|red|amber|flags?|negative|positive|certificate of conduct|outcome)\b`)

// otherLangHTML matches a block marked as written in the other language.
var otherLangHTML = regexp.MustCompile(`(?s)<(p|h2) lang="nl"[^>]*>.*?</(p|h2)>`)

// withoutDutchParts drops what an English mail may say in Dutch on
// purpose: the names and the one paragraph that points Dutch readers to
// the Dutch form (referents), marked lang="nl" in HTML.
func withoutDutchParts(s string, isHTML bool) string {
	if isHTML {
		s = otherLangHTML.ReplaceAllString(s, "")
		s = html.UnescapeString(tagRE.ReplaceAllString(s, " "))
	}
	for _, n := range []string{referentAlsoInDutch, enParty, enPerson, enReferent, enRound} {
		s = strings.ReplaceAll(s, n, " ")
	}
	return urlRE.ReplaceAllString(s, " ") // the routes are Dutch (/uitnodiging/…): not text
}

var urlRE = regexp.MustCompile(`https?://[^\s"<]+`)

func TestEnglishMails(t *testing.T) {
	for _, tc := range candidateMails() {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.msg(i18n.EN, enParty, enPerson, testLink)
			if m.Subject == "" || m.Text == "" || m.HTML == "" {
				t.Fatalf("empty part")
			}
			if !strings.Contains(m.Subject, enParty) {
				t.Errorf("subject %q lacks the party", m.Subject)
			}
			for part, s := range map[string]string{"subject": m.Subject, "text": withoutDutchParts(m.Text, false), "html": withoutDutchParts(m.HTML, true)} {
				if w := dutchMarkers.FindAllString(s, -1); len(w) > 0 {
					t.Errorf("%s has Dutch words %q:\n%s", part, w, s)
				}
				if w := englishForbidden.FindAllString(s, -1); len(w) > 0 {
					t.Errorf("%s has forbidden words %q", part, w)
				}
			}
			htmlText := visibleText(m.HTML)
			footer := "This e-mail was sent by Weerbaar on behalf of " + enParty + ". Replies are not read."
			for _, want := range append([]string{footer, "Kind regards,"}, tc.want["en"]...) {
				if !strings.Contains(m.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, m.Text)
				}
				if !strings.Contains(htmlText, want) {
					t.Errorf("html lacks %q", want)
				}
			}
			if !strings.Contains(m.HTML, `<html lang="en">`) || !strings.Contains(m.HTML, `aria-label="`+html.EscapeString(m.Subject)+`" lang="en"`) {
				t.Errorf("html is not marked lang=en")
			}
			if strings.Contains(m.HTML, "href") && !strings.Contains(htmlText, "If the button does not work, copy this link into your browser:") {
				t.Errorf("html lacks the English button help")
			}
			if strings.Contains(m.Text, referentAlsoInDutch) && !strings.Contains(m.HTML, `<p lang="nl"`) {
				t.Errorf("the Dutch paragraph is not marked lang=nl")
			}
			for _, line := range strings.Split(m.Text, "\n") {
				if line = strings.TrimSpace(line); line != "" && line != "----" && !strings.Contains(htmlText, line) {
					t.Errorf("html lacks text line %q", line)
				}
			}
		})
	}
}

// TestDutchMailsPointToEnglish: the same mails in Dutch (the default: no
// language, or "nl") stay Dutch, and the invitation and the referents'
// mails say in English that English is available.
func TestDutchMailsPointToEnglish(t *testing.T) {
	for _, tc := range candidateMails() {
		for _, lang := range []string{"", i18n.NL} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				m := tc.msg(lang, enParty, enPerson, testLink)
				htmlText := visibleText(m.HTML)
				for _, want := range append([]string{"Deze e-mail is verstuurd door Weerbaar namens " + enParty + ".", "Met vriendelijke groet,"}, tc.want["nl"]...) {
					if !strings.Contains(m.Text, want) || !strings.Contains(htmlText, want) {
						t.Errorf("lacks %q:\n%s", want, m.Text)
					}
				}
				if !strings.Contains(m.HTML, `<html lang="nl">`) || strings.Contains(m.HTML, "href") != strings.Contains(htmlText, "Werkt de knop niet?") {
					t.Errorf("html is not the Dutch layout")
				}
				hint := strings.Contains(m.Text, alsoInEnglish) || strings.Contains(m.Text, referentAlsoInEnglish)
				if wantHint := tc.kind == "invitation" || tc.kind == "reference" || tc.kind == "reference_reminder"; hint != wantHint {
					t.Errorf("English paragraph present = %v, want %v", hint, wantHint)
				}
				if hint && !strings.Contains(m.HTML, `<p lang="en"`) {
					t.Errorf("the English paragraph is not marked lang=en")
				}
			})
		}
	}
	// An English invitation has no Dutch paragraph and no "also in English".
	m := Invitation(InvitationData{Party: enParty, Candidate: enPerson, Round: enRound, Link: testLink, Expires: testExpires, Deadline: testDeadline, Lang: "en"})
	if strings.Contains(m.Text, alsoInEnglish) || strings.Contains(m.HTML, `lang="nl"`) {
		t.Errorf("English invitation carries the Dutch-mail paragraph")
	}
}

// TestEnglishMailsEscape: names stay escaped and on one line in English too.
func TestEnglishMailsEscape(t *testing.T) {
	for _, tc := range candidateMails() {
		m := tc.msg(i18n.EN, evilName, "Anna\r\nBcc: x@example.com", testLink)
		if strings.Contains(m.HTML, "<script") || strings.ContainsAny(m.Subject, "\r\n") || strings.Contains(m.Text, "\nBcc:") {
			t.Errorf("%s: a name is not escaped or folded", tc.name)
		}
		// A name with a % verb is data, not a format.
		m = tc.msg(i18n.EN, "100%s Party", "Anna %d", testLink)
		if !strings.Contains(m.Subject, "100%s Party") || strings.Contains(m.Text, "%!") {
			t.Errorf("%s: a name was read as a format: %q", tc.name, m.Subject)
		}
	}
}

// TestDateIn: English dates in Amsterdam time.
func TestDateIn(t *testing.T) {
	if got := dateIn("en", testExpires); got != "5 December 2026" {
		t.Errorf("dateIn = %q", got)
	}
	if got := dateTimeIn("en", testExpires); got != "5 December 2026 at 23:59 (Dutch time)" {
		t.Errorf("dateTimeIn = %q", got)
	}
	if got := dateTimeIn("nl", testExpires); got != "5 december 2026 om 23:59 uur" {
		t.Errorf("dateTimeIn(nl) = %q", got)
	}
}

// TestMailCatalogKeys reads the package's source: every text given to tr
// must be a literal or a constant (so it can be checked here) and have its
// English in i18n/en.yaml with the same verbs.
func TestMailCatalogKeys(t *testing.T) {
	if err := i18n.Check(); err != nil {
		t.Fatal(err)
	}
	keys := mailKeys(t)
	if len(keys) < 50 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("no English for %q (append it to i18n/en.yaml)", k)
			continue
		}
		if en := i18n.T("en", k); verbsOf(en) != verbsOf(k) || en == k {
			t.Errorf("%q → %q: verbs differ or not translated", k, en)
		}
	}
}

func verbsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}

// mailKeys returns the second argument of every tr call in the package.
func mailKeys(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	consts := map[string]ast.Expr{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, af)
		for _, d := range af.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, sp := range g.Specs {
					vs := sp.(*ast.ValueSpec)
					for i, n := range vs.Names {
						if i < len(vs.Values) {
							consts[n.Name] = vs.Values[i]
						}
					}
				}
			}
		}
	}
	var eval func(e ast.Expr) (string, bool)
	eval = func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.BasicLit:
			if x.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(x.Value)
			return s, err == nil
		case *ast.BinaryExpr:
			a, ok1 := eval(x.X)
			b, ok2 := eval(x.Y)
			return a + b, ok1 && ok2 && x.Op == token.ADD
		case *ast.ParenExpr:
			return eval(x.X)
		case *ast.Ident:
			if v, ok := consts[x.Name]; ok {
				return eval(v)
			}
		}
		return "", false
	}
	seen := map[string]bool{}
	for _, af := range parsed {
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "tr" || len(call.Args) < 2 {
				return true
			}
			k, ok := eval(call.Args[1])
			if !ok {
				t.Errorf("%s: tr's text is not a literal or constant", fset.Position(call.Pos()))
				return true
			}
			seen[k] = true
			return true
		})
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestMailKindsCovered: every mail kind the service sends (the Mail…
// constants of package models) is either tested in English above or
// listed as read only by the committee, the board or an account holder.
// A new kind fails here until someone decides.
func TestMailKindsCovered(t *testing.T) {
	kinds := modelMailKinds(t)
	if len(kinds) < 10 {
		t.Fatalf("found only %d mail kinds in ../models: the scan is broken", len(kinds))
	}
	tested := map[string]bool{}
	for _, tc := range candidateMails() {
		tested[tc.kind] = true
	}
	for name, kind := range kinds {
		switch {
		case tested[kind] && dutchOnlyKinds[kind]:
			t.Errorf("models.%s (%q) is both English-tested and Dutch-only", name, kind)
		case !tested[kind] && !dutchOnlyKinds[kind]:
			t.Errorf("models.%s (%q): add an English case to candidateMails, or list it in dutchOnlyKinds when only the committee, the board or an account holder reads it", name, kind)
		}
	}
	known := map[string]bool{}
	for _, k := range kinds {
		known[k] = true
	}
	for k := range tested {
		if !known[k] {
			t.Errorf("candidateMails has kind %q that models does not send", k)
		}
	}
	for k := range dutchOnlyKinds {
		if !known[k] {
			t.Errorf("dutchOnlyKinds has kind %q that models does not send", k)
		}
	}
}

// modelMailKinds reads the string constants named Mail… in ../models.
func modelMailKinds(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../models/*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, sp := range g.Specs {
				vs := sp.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !strings.HasPrefix(n.Name, "Mail") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						out[n.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
	return out
}

// TestOfficesInEnglish: every office a round can be for has its English
// name for the invitation and the referent's request.
func TestOfficesInEnglish(t *testing.T) {
	for _, o := range screening.Offices {
		if en := officeIn(i18n.EN, o); en == o || dutchMarkers.MatchString(en) {
			t.Errorf("office %q has no English (%q): add its PhraseEN to questionnaires.AllOffices", o, en)
		}
		if info, _ := questionnaires.Office(o); officeIn(i18n.NL, o) != info.Phrase || info.Phrase == "" {
			t.Errorf("office %q in Dutch = %q, want the Dutch phrase %q", o, officeIn(i18n.NL, o), info.Phrase)
		}
	}
}
