package web_test

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weerbaar/weerbaar/internal/sample"
)

// TestScanPagesGedeputeerde: a kandidaat-gedeputeerde walks the scan pages
// (questionnaire version 2): the province's questions are shown and the
// municipality's hidden, the completeness check agrees, and the committee's
// page shows the gedeputeerde's finding with its article.
func TestScanPagesGedeputeerde(t *testing.T) {
	f := newScanFix(t)
	deadline := time.Now().Add(60 * 24 * time.Hour).Format("2006-01-02")
	f.rid = f.e.Must(201, "POST", "/api/v1/parties/"+f.pid+"/rounds", f.board,
		map[string]string{"name": "Gedeputeerde Staten", "office": "gedeputeerde", "deadline": deadline}).Map(t)["id"].(string)
	b, cid := f.start(t, "Greet Gedeputeerde", "greet@test.nl")

	ans := sample.Clean()
	delete(ans, "K3")
	delete(ans, "N3")
	delete(ans, "N4")
	ans["K1"] = []any{"statenlid", "gedeputeerde"}
	ans["K2P"], ans["K3P"], ans["N4P"], ans["F7"] = "nee", true, false, false
	ans["N3P"] = []any{"gemeentebestuur"} // a raadslid, wethouder or mayor: 35c

	hidden := func(page, q string) bool {
		return regexp.MustCompile(`data-question="` + q + `"[^>]*hidden`).MatchString(page)
	}
	for n := 1; n <= 8; n++ {
		path := "/scan/stap/" + strconv.Itoa(n)
		page := b.get(path)
		switch n {
		case 1:
			for _, q := range []string{"K2P", "K3P"} {
				if !strings.Contains(page, `data-question="`+q+`"`) || hidden(page, q) {
					t.Errorf("step 1: %s not shown", q)
				}
			}
			if !hidden(page, "K3") || !hidden(page, "K2W") {
				t.Error("step 1: the municipality's or waterschap's residence/employer question shown to a gedeputeerde")
			}
			if !strings.Contains(page, "Lid Provinciale Staten") {
				t.Error("K1 lacks the provincial roles")
			}
		case 2:
			if hidden(page, "N3P") || !hidden(page, "N3") || !hidden(page, "N3W") {
				t.Error("step 2: incompatibility questions of the wrong tier")
			}
		case 3:
			if hidden(page, "F7") {
				t.Error("step 3: the financial-interest question hidden from an executive")
			}
		}
		form := scanForm(t, page, ans)
		form.Set("actie", "verder")
		b.post(path, page, form, 303)
	}
	review := b.get("/scan/controleren")
	if strings.Contains(review, "Nog niet beantwoord") {
		t.Fatalf("review shows missing answers after a complete walk")
	}
	if loc, _ := b.post("/scan/indienen", review, url.Values{}, 303); loc != "/scan/ontvangen" {
		t.Fatalf("submit went to %q", loc)
	}
	f.waitStatus(t, cid, "profiled")
	com := page{t: t, e: f.e, token: f.com, jar: map[string]string{}}
	file := com.get("/commissie/kandidaten/" + cid)
	for _, want := range []string{`data-rule="onverenigbaar-gedeputeerde"`, "Wettelijke grondslag:</strong> Provinciewet art. 35c", "(Gedeputeerde)"} {
		if !strings.Contains(file, want) {
			t.Errorf("committee file lacks %q", want)
		}
	}
}
