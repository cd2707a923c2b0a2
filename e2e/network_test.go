package e2e_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestNetworkMaps: the committee's candidate map and round map, in the
// browser, pass axe, fit 375 px, and the table alternative holds the same
// organisations as the picture.
func TestNetworkMaps(t *testing.T) {
	s := start(t)
	e := s.e
	board := e.Login(boardEmail, boardPass)
	e.Must(201, "POST", v1+"/parties/"+s.pid+"/members", s.admin, map[string]any{"email": "c@test.nl", "name": "Cor Commissie", "role": "commissie", "password": boardPass})
	rid := e.Must(201, "POST", v1+"/parties/"+s.pid+"/rounds", board, map[string]string{"name": "Raad 2026", "office": "raadslid", "deadline": time.Now().AddDate(0, 2, 0).Format("2006-01-02")}).Map(t)["id"].(string)
	var ids []string
	for i, name := range []string{"Anna de Vries", "Bram Jansen"} {
		email := fmt.Sprintf("k%d@test.nl", i)
		ids = append(ids, e.Must(201, "POST", v1+"/rounds/"+rid+"/candidates", board, map[string]string{"name": name, "email": email}).Map(t)["id"].(string))
		tok := e.Must(201, "POST", v1+"/invitations/"+e.InvitationToken(email)+"/accept", "", nil).Map(t)["token"].(string)
		e.Must(200, "POST", v1+"/me/consent", tok, map[string]int{"privacy_version": 1})
		ans := sample.Flagged()
		if i == 1 { // Bram works elsewhere but sits on the same board
			ans["K2"] = []any{map[string]any{"werkgever": "Gemeentelijke Sportbedrijf BV", "functie": "planner", "uren_per_week": 20, "sinds": "2020-01-01", "bij_deze_gemeente": false}}
		}
		e.Must(200, "PATCH", v1+"/me/answers", tok, map[string]any{"answers": ans})
		e.Must(200, "POST", v1+"/me/submit", tok, nil)
	}
	com := e.Login("c@test.nl", boardPass)
	for _, id := range ids {
		for end := time.Now().Add(10 * time.Second); e.Do("GET", v1+"/candidates/"+id+"/profile", com, nil).Status != 200; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatal("no profile")
			}
		}
	}

	p := s.b.Tab(t)
	p.Go(s.base + "/inloggen")
	p.Fill("E-mailadres", "c@test.nl")
	p.Fill("Wachtwoord", boardPass)
	p.Press("Inloggen")
	p.Go(s.base + "/commissie/kandidaten/" + ids[0] + "#netwerk")
	p.Check("kandidaat-netwerkkaart")
	text := p.Text()
	for _, want := range []string{"Netwerkkaart", "Stichting Sportpark De Linden", "Bram Jansen", "Zorggroep Noord"} {
		if !strings.Contains(text, want) {
			t.Errorf("candidate page lacks %q", want)
		}
	}
	// The picture and the table name the same organisations.
	svg := string(e.Must(200, "GET", v1+"/candidates/"+ids[0]+"/network.svg", com, nil).Body)
	inPicture := map[string]bool{}
	for _, m := range regexp.MustCompile(`<text[^>]*>([^<\[]+)</text>`).FindAllStringSubmatch(svg, -1) {
		inPicture[strings.TrimSpace(m[1])] = true
	}
	for _, org := range []string{"Stichting Sportpark De Linden", "Zorggroep Noord", "Basisschool De Regenboog"} {
		if !inPicture[org] {
			t.Errorf("the map lacks %q (has %v)", org, inPicture)
		}
		if !strings.Contains(text, org) {
			t.Errorf("the table lacks %q", org)
		}
	}
	p.Go(s.base + "/commissie/ronde/" + rid + "#rondekaart")
	p.Check("ronde-netwerkkaart")
	if rt := p.Text(); !strings.Contains(rt, "Gedeelde organisaties in deze ronde") || !strings.Contains(rt, "Stichting Sportpark De Linden") {
		t.Errorf("round map section: %.400s", rt)
	}
	p.Go(s.base + "/commissie/kandidaten/" + ids[0] + "/leidraad")
	p.Check("leidraad-netwerkkaart")
	// The board sees nothing of the network.
	if r := e.Do("GET", "/commissie/ronde/"+rid+"/kaart.svg", board, nil); r.Status != 403 {
		t.Errorf("board round map: %d", r.Status)
	}
}
