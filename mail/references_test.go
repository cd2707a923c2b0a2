package mail

import (
	"html"
	"strings"
	"testing"
)

// TestReferenceMails: the reference mails say who asks and why, carry
// their link in both parts, say the same in text and HTML, escape names,
// and never carry findings or levels.
func TestReferenceMails(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  func(party, person, link string) Message
		link bool
		want []string
	}{
		{"references asked", func(party, person, link string) Message {
			return ReferencesAsked(ReferencesAskedData{Party: party, Candidate: person, Round: "Raad 2026", Wanted: 2, NewLinkURL: link})
		}, true, []string{"2 referenten", "toestemming", "alleen de selectiecommissie", "Referenties"}},
		{"reference request", func(party, person, link string) Message {
			return ReferenceRequest(ReferenceRequestData{Party: party, Referent: "Karel Referent", Candidate: person, Office: "raadslid", Link: link, Expires: testExpires})
		}, true, []string{"Karel Referent", "referent", "5 december 2026", "niet wat u hebt geantwoord", "vrijwillig", "één keer"}},
		{"reference reminder", func(party, person, link string) Message {
			return ReferenceReminder(ReferenceReminderData{Party: party, Referent: "Karel Referent", Candidate: person, Link: link, Expires: testExpires, DaysLeft: 2})
		}, true, []string{"nog 2 dagen", "Eerdere links werken niet meer", "5 december 2026"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.msg(testParty, "Anna de Vries", testLink)
			if !strings.Contains(m.Subject, testParty) {
				t.Errorf("subject %q lacks the party", m.Subject)
			}
			htmlText := visibleText(m.HTML)
			for _, w := range append(tc.want, testParty) {
				if !strings.Contains(m.Text, w) || !strings.Contains(htmlText, w) {
					t.Errorf("lacks %q:\n%s", w, m.Text)
				}
			}
			if tc.link && (!strings.Contains(m.Text, "\n"+testLink+"\n") || !strings.Contains(m.HTML, `href="`+html.EscapeString(testLink)+`"`)) {
				t.Errorf("link missing")
			}
			for _, line := range strings.Split(m.Text, "\n") {
				if line = strings.TrimSpace(line); line != "" && line != "----" && !strings.Contains(htmlText, line) {
					t.Errorf("html lacks text line %q", line)
				}
			}
			for _, part := range []string{m.Subject, m.Text, m.HTML} {
				for _, w := range forbidden {
					if strings.Contains(strings.ToLower(part), w) {
						t.Errorf("forbidden word %q", w)
					}
				}
			}
			evil := tc.msg(evilName, evilName, testLink)
			if strings.Contains(evil.HTML, "<script>") || strings.Contains(evil.Subject, "\n") {
				t.Error("a name is not escaped")
			}
		})
	}
}
