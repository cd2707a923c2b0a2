// Package mail builds Weerbaar's Dutch e-mails. No mail ever carries
// answers, levels, flags or VOG details: only names, dates and links.
package mail

import (
	"fmt"
	"strings"
	"time"
)

// Message is one plain-text e-mail.
type Message struct {
	To      string
	Subject string
	Text    string
}

var nlMonths = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// DutchDate formats a date as "5 december 2026" in Dutch local time.
func DutchDate(t time.Time) string {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err == nil {
		t = t.In(loc)
	}
	return fmt.Sprintf("%d %s %d", t.Day(), nlMonths[t.Month()-1], t.Year())
}

// Invitation is the candidate's invitation to the scan.
func Invitation(party, candidate, round, link string, expires time.Time) Message {
	var b strings.Builder
	fmt.Fprintf(&b, "Beste %s,\n\n", candidate)
	fmt.Fprintf(&b, "%s nodigt u uit voor de weerbaarheidsscan in de selectieronde \"%s\".\n\n", party, round)
	b.WriteString("De scan is een vragenlijst over uw werk, nevenfuncties, financiële belangen, netwerk en weerbaarheid. ")
	b.WriteString("Alleen de selectiecommissie leest uw antwoorden. Het partijbestuur hoort alleen het eindadvies. ")
	b.WriteString("De uitkomst is geen oordeel: de commissie gebruikt haar voor het gesprek met u.\n\n")
	fmt.Fprintf(&b, "Open de scan met deze persoonlijke link:\n%s\n\n", link)
	fmt.Fprintf(&b, "De link werkt tot en met %s. U kunt tussendoor stoppen en later verdergaan met dezelfde link.\n", DutchDate(expires))
	b.WriteString("Stuur deze e-mail niet door: met de link kan iemand anders uw antwoorden invullen.\n\n")
	fmt.Fprintf(&b, "Met vriendelijke groet,\n%s\n", party)
	return Message{Subject: fmt.Sprintf("Uitnodiging weerbaarheidsscan – %s", party), Text: b.String()}
}

// AccountSetup invites a new board or committee member to set a password.
func AccountSetup(party, name, role, link string, expires time.Time) Message {
	roleNL := map[string]string{"bestuur": "het partijbestuur", "commissie": "de selectiecommissie"}[role]
	if roleNL == "" {
		roleNL = role
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Beste %s,\n\n", name)
	fmt.Fprintf(&b, "U bent toegevoegd aan %s van %s in Weerbaar.\n\n", roleNL, party)
	fmt.Fprintf(&b, "Kies uw wachtwoord via deze link:\n%s\n\n", link)
	fmt.Fprintf(&b, "De link werkt één keer, tot en met %s.\n", DutchDate(expires))
	return Message{Subject: fmt.Sprintf("Uw account voor Weerbaar – %s", party), Text: b.String()}
}
