package mail

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	testExpires  = time.Date(2026, 12, 5, 22, 59, 0, 0, time.UTC) // 23:59 in Amsterdam
	testDeadline = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
)

const (
	testParty = "GroenLinks Utrecht"
	testLink  = "https://weerbaar.example.nl/uitnodiging/abc123?x=1&y=2"
	evilName  = `<script>alert("x")</script> & Co`
)

type mailCase struct {
	name string
	msg  Message
	link string   // "" when the mail has no link
	want []string // also in both Text and HTML
}

func allMails(party, person, link string) []mailCase {
	return []mailCase{
		{"invitation", Invitation(InvitationData{Party: party, Candidate: person, Round: "Raad 2026", Office: "raadslid", Link: link, Expires: testExpires, Deadline: testDeadline}),
			link, []string{"5 december 2026", "1 december 2026", "selectiecommissie", "eindadvies", "niet door", "dezelfde link"}},
		{"account setup", AccountSetup(SetupData{Party: party, Name: person, Role: "commissie", Link: link, Expires: testExpires}),
			link, []string{"wachtwoord", "één keer", "5 december 2026", "selectiecommissie"}},
		{"reminder", Reminder(ReminderData{Party: party, Candidate: person, Round: "Raad 2026", Link: link, Expires: testExpires, Deadline: testDeadline, DaysLeft: 3}),
			link, []string{"nog 3 dagen", "1 december 2026", "5 december 2026", "Eerdere links werken niet meer"}},
		{"receipt", Receipt(ReceiptData{Party: party, Candidate: person, Round: "Raad 2026", SubmittedAt: testDeadline, NewLinkURL: link}),
			link, []string{"ontvangen", "1 december 2026", "gesprek", "eindadvies", "downloaden", "terugtrekken", "werkt nu niet meer"}},
		{"new link", NewLink(LinkData{Party: party, Candidate: person, Round: "Raad 2026", Link: link, Expires: testExpires}),
			link, []string{"nieuwe link", "5 december 2026", "niet door"}},
		{"reopen", ReopenNotice(ReopenData{Party: party, Candidate: person, Round: "Raad 2026", Link: link, Expires: testExpires}),
			link, []string{"teruggestuurd", "5 december 2026", "niet in deze e-mail"}},
		{"hearing", HearingNotice(HearingData{Party: party, Candidate: person, Link: link, ReplyDue: testDeadline}),
			link, []string{"vragen", "1 december 2026", "schriftelijke reactie"}},
		{"profile ready", ProfileReady(ProfileReadyData{Party: party, Member: "Piet Jansen", Candidate: person, Round: "Raad 2026", Link: link}),
			link, []string{"dossier", "Piet Jansen"}},
		{"advice available", AdviceAvailable(AdviceData{Party: party, Member: "Piet Jansen", Candidate: person, Round: "Raad 2026", Link: link}),
			link, []string{"eindadvies", "Piet Jansen"}},
		{"membership invite", MembershipInvite(MembershipData{Party: party, Name: person, Role: "commissie", Link: link, Expires: testExpires}),
			link, []string{"aanvaardt", "één keer", "5 december 2026", "selectiecommissie"}},
		{"membership invite without password", MembershipInvite(MembershipData{Party: party, Name: person, Role: "bestuur", Link: link, Expires: testExpires, NeedsPassword: true}),
			link, []string{"wachtwoord", "partijbestuur"}},
		{"committee proposal", CommitteeChange(CommitteeChangeData{Party: party, Recipient: "Piet Jansen", Action: "voorgesteld", Member: person, Email: "anna@example.nl", Actor: "Bea Bestuur", Link: link}),
			link, []string{"Piet Jansen", "anna@example.nl", "Bea Bestuur", "bevestigen"}},
		{"committee confirmed", CommitteeChange(CommitteeChangeData{Party: party, Recipient: "Piet Jansen", Action: "bevestigd", Member: person, Email: "anna@example.nl", Actor: "Cor", Link: link}),
			link, []string{"anna@example.nl", "bevestigd"}},
		{"committee rejected", CommitteeChange(CommitteeChangeData{Party: party, Recipient: "Piet Jansen", Action: "afgewezen", Member: person, Email: "anna@example.nl", Actor: "Cor", Link: link}),
			link, []string{"anna@example.nl", "afgewezen"}},
		{"committee added", CommitteeChange(CommitteeChangeData{Party: party, Recipient: "Piet Jansen", Action: "toegevoegd", Member: person, Email: "anna@example.nl", Actor: "de beheerder", Link: link}),
			link, []string{"anna@example.nl", "toegevoegd"}},
		{"first committee to the board", CommitteeChange(CommitteeChangeData{Party: party, Recipient: "Bea", Action: "bestuur", Member: person, Email: "anna@example.nl", Actor: "de beheerder"}),
			"", []string{"anna@example.nl", "beheerder"}},
	}
}

var forbidden = []string{"oranje", "rood", "blok", "signaal", "vlag", "negatief", "positief", "vog"}

func TestTemplates(t *testing.T) {
	for _, tc := range allMails(testParty, "Anna de Vries", testLink) {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.msg
			if m.To != "" {
				t.Errorf("To = %q, want empty", m.To)
			}
			if m.Subject == "" || m.Text == "" || m.HTML == "" {
				t.Fatalf("empty part: subject %q, text %d bytes, html %d bytes", m.Subject, len(m.Text), len(m.HTML))
			}
			if !strings.Contains(m.Subject, testParty) {
				t.Errorf("subject %q lacks the party", m.Subject)
			}
			htmlText := visibleText(m.HTML)
			for _, want := range append([]string{testParty, "Deze e-mail is verstuurd door Weerbaar namens " + testParty + ". Beantwoorden kan niet."}, tc.want...) {
				if !strings.Contains(m.Text, want) {
					t.Errorf("text lacks %q", want)
				}
				if !strings.Contains(htmlText, want) {
					t.Errorf("html lacks %q", want)
				}
			}
			if tc.link != "" {
				if !strings.Contains(m.Text, "\n"+tc.link+"\n") {
					t.Errorf("text lacks the link on its own line")
				}
				esc := html.EscapeString(tc.link)
				if !strings.Contains(m.HTML, `href="`+esc+`"`) {
					t.Errorf("html lacks href=%q", esc)
				}
				if !strings.Contains(m.HTML, ">"+esc+"</a>") {
					t.Errorf("html lacks the link written out in full")
				}
			}
			if !strings.Contains(m.HTML, `<html lang="nl">`) || strings.Contains(m.HTML, "<img") {
				t.Errorf("html must be lang=nl and without images")
			}
			// Text and HTML say the same: every text line is in the HTML.
			for _, line := range strings.Split(m.Text, "\n") {
				line = strings.TrimSpace(line)
				if line == "" || line == "----" {
					continue
				}
				if !strings.Contains(htmlText, line) {
					t.Errorf("html lacks text line %q", line)
				}
			}
			for _, part := range []string{m.Subject, m.Text, m.HTML} {
				low := strings.ToLower(part)
				for _, w := range forbidden {
					if strings.Contains(low, w) {
						t.Errorf("mail contains forbidden word %q", w)
					}
				}
			}
		})
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// visibleText strips tags and entities and folds whitespace.
func visibleText(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(h, " "))), " ")
}

func TestTemplatesEscapeHTML(t *testing.T) {
	for _, tc := range allMails(evilName, evilName, testLink) {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(tc.msg.HTML, "<script") {
				t.Errorf("html contains an unescaped <script>")
			}
			if !strings.Contains(tc.msg.HTML, "&lt;script&gt;") {
				t.Errorf("html lacks the escaped name")
			}
			if !strings.Contains(tc.msg.Text, evilName) {
				t.Errorf("text lacks the literal name")
			}
		})
	}
	// A javascript: link never becomes a live href.
	m := Invitation(InvitationData{Party: "P", Candidate: "A", Link: "javascript:alert(1)"})
	if strings.Contains(m.HTML, `href="javascript:`) {
		t.Errorf("javascript: link in href")
	}
}

func TestTemplatesStripLineBreaks(t *testing.T) {
	party := "Partij\r\nBcc: evil@example.com\n"
	cand := "Anna\r\nX-Evil: 1"
	for _, tc := range allMails(party, cand, testLink+"\r\n") {
		t.Run(tc.name, func(t *testing.T) {
			if strings.ContainsAny(tc.msg.Subject, "\r\n") {
				t.Errorf("subject has a line break: %q", tc.msg.Subject)
			}
			if !strings.Contains(tc.msg.Subject, "Partij Bcc: evil@example.com") {
				t.Errorf("subject %q: party not folded onto one line", tc.msg.Subject)
			}
			if strings.Contains(tc.msg.Text, "\nBcc:") || strings.Contains(tc.msg.Text, "\nX-Evil") || strings.Contains(tc.msg.Text, "\r") {
				t.Errorf("text has a line break from user input")
			}
		})
	}
}

func TestSubjects(t *testing.T) {
	mails := allMails(testParty, "Anna de Vries", testLink)
	want := []string{
		"Uitnodiging weerbaarheidsscan – GroenLinks Utrecht",
		"Uw account voor Weerbaar – GroenLinks Utrecht",
		"Herinnering: weerbaarheidsscan – GroenLinks Utrecht",
		"Uw weerbaarheidsscan is ontvangen – GroenLinks Utrecht",
		"Nieuwe link voor uw weerbaarheidsscan – GroenLinks Utrecht",
		"Uw weerbaarheidsscan is teruggestuurd – GroenLinks Utrecht",
		"Vragen van de selectiecommissie – GroenLinks Utrecht",
		"Profiel klaar: Anna de Vries – GroenLinks Utrecht",
		"Advies beschikbaar: Anna de Vries – GroenLinks Utrecht",
		"Uitnodiging voor de selectiecommissie – GroenLinks Utrecht",
		"Uitnodiging voor het partijbestuur – GroenLinks Utrecht",
		"Voorstel nieuw lid selectiecommissie: Anna de Vries – GroenLinks Utrecht",
		"Nieuw lid selectiecommissie bevestigd: Anna de Vries – GroenLinks Utrecht",
		"Afgewezen: nieuw lid selectiecommissie Anna de Vries – GroenLinks Utrecht",
		"Nieuw lid selectiecommissie: Anna de Vries – GroenLinks Utrecht",
		"Nieuw lid van de selectiecommissie: Anna de Vries – GroenLinks Utrecht",
	}
	for i, tc := range mails {
		if tc.msg.Subject != want[i] {
			t.Errorf("%s: subject %q, want %q", tc.name, tc.msg.Subject, want[i])
		}
	}
}

func TestReminderDays(t *testing.T) {
	for _, tc := range []struct {
		days int
		want string
		not  string
	}{
		{1, "nog 1 dag ", "dagen"},
		{3, "nog 3 dagen", "nog 3 dag "},
		{0, "Vandaag is de laatste dag", "nog 0"},
	} {
		m := Reminder(ReminderData{Party: "P", Candidate: "A", Round: "R", Link: testLink, DaysLeft: tc.days, Expires: testExpires, Deadline: testDeadline})
		if !strings.Contains(m.Text, tc.want) || strings.Contains(m.Text, tc.not) {
			t.Errorf("DaysLeft %d: want %q and not %q in:\n%s", tc.days, tc.want, tc.not, m.Text)
		}
	}
}

func TestAccountSetupRoles(t *testing.T) {
	for role, want := range map[string]string{
		"bestuur":   "partijbestuur van P",
		"commissie": "selectiecommissie van P",
		"":          "account gekregen voor P",
	} {
		m := AccountSetup(SetupData{Party: "P", Name: "A", Role: role, Link: testLink, Expires: testExpires})
		if !strings.Contains(m.Text, want) {
			t.Errorf("role %q: text lacks %q", role, want)
		}
	}
}

func TestDutchDate(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 12, 5, 22, 59, 0, 0, time.UTC), "5 december 2026"},
		{time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC), "6 december 2026"}, // after midnight in Amsterdam
		{time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC), "1 juli 2026"},     // summer time
		{time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC), "1 maart 2027"},
	} {
		if got := DutchDate(tc.in); got != tc.want {
			t.Errorf("DutchDate(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := dutchDateTime(testExpires); got != "5 december 2026 om 23:59 uur" {
		t.Errorf("dutchDateTime = %q", got)
	}
}
