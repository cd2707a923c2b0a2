package e2e_test

import (
	"strings"
	"testing"
	"time"
)

// TestEnglishSwitch: in a real browser, the candidate chooses English on
// the invitation page (before anything else), the page comes back in
// English on the same address, the choice carries into the scan after
// accepting, and the switch back to Dutch works from the scan's header.
// Every page passes the accessibility check (axe) in both languages.
func TestEnglishSwitch(t *testing.T) {
	s := start(t)
	e := s.e
	board := e.Login(boardEmail, boardPass)
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid", "deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": "Eva Evans", "email": "eva@test.nl"})
	link := "/uitnodiging/" + e.InvitationToken("eva@test.nl")

	p := s.b.Tab(t)
	p.Go(s.base + link)
	if !strings.Contains(p.HTML(), `<html lang="nl"`) || !strings.Contains(p.Text(), "Uitnodiging voor de weerbaarheidsscan") {
		t.Fatalf("the invitation is not Dutch first")
	}
	p.Check("invitation (nl)")
	p.Press("English")
	if path(t, p) != link {
		t.Fatalf("the switch went to %s, want %s", path(t, p), link)
	}
	if !strings.Contains(p.HTML(), `<html lang="en"`) || !strings.Contains(p.Text(), "Invitation to the resilience scan") {
		t.Fatalf("the invitation did not turn English:\n%s", p.Text())
	}
	p.Check("invitation (en)")
	p.Press("Start the scan")
	if path(t, p) != "/scan" || !strings.Contains(p.Text(), "Before you start") {
		t.Fatalf("after accepting: %s\n%s", path(t, p), p.Text())
	}
	p.Check("consent (en)")
	p.Press("Nederlands")
	if path(t, p) != "/scan" || !strings.Contains(p.Text(), "Voordat u begint") {
		t.Fatalf("switch back to Dutch: %s\n%s", path(t, p), p.Text())
	}
}
