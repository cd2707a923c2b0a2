package mail

import (
	"strings"
	"testing"
	"time"
)

// TestInvitationNamesTheOffice: the invitation names every office in
// Dutch words, never by its id.
func TestInvitationNamesTheOffice(t *testing.T) {
	for id, want := range map[string]string{
		"raadslid": "functie van raadslid", "wethouder": "functie van wethouder",
		"statenlid": "functie van lid van Provinciale Staten", "gedeputeerde": "functie van gedeputeerde",
		"waterschap_ab": "functie van lid van het algemeen bestuur van het waterschap",
		"waterschap_db": "functie van lid van het dagelijks bestuur van het waterschap",
	} {
		m := Invitation(InvitationData{Party: "Partij", Candidate: "Anna", Round: "Ronde", Office: id, Link: "http://x/uitnodiging/t",
			Expires: time.Now().Add(time.Hour), Deadline: time.Now().Add(time.Hour)})
		if !strings.Contains(m.Text, want) {
			t.Errorf("%s: mail lacks %q:\n%s", id, want, m.Text)
		}
		if strings.Contains(m.Text, "waterschap_") {
			t.Errorf("%s: mail shows the office id", id)
		}
	}
}
