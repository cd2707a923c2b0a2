package screening

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// The committee's open-source research (openbronnenonderzoek): a checklist
// of public sources per candidate. The committee looks the sources up
// itself; the service only keeps the record and never fetches a link.

// SourceLabels are the checklist's sources in plain Dutch.
var SourceLabels = map[string]string{
	models.SourceKvK:        "Handelsregister (KvK)",
	models.SourceKadaster:   "Kadaster",
	models.SourceInsolvency: "Centraal Insolventieregister",
	models.SourceCourts:     "Uitspraken op rechtspraak.nl",
	models.SourceNews:       "Nieuwsberichten",
	models.SourceSocial:     "Sociale media",
	models.SourceSideJobs:   "Register van nevenfuncties van de gemeente",
	models.SourceOwnSearch:  "Eigen zoekopdracht",
}

// SourceHints say what to look for in each source.
var SourceHints = map[string]string{
	models.SourceKvK:        "Bedrijven, bestuursfuncties en eenmanszaken op naam van de kandidaat.",
	models.SourceKadaster:   "Onroerend goed in de gemeente, vooral grond waarover de gemeente besluit.",
	models.SourceInsolvency: "Faillissementen en schuldsaneringen.",
	models.SourceCourts:     "Gepubliceerde uitspraken waarin de kandidaat of diens bedrijf voorkomt.",
	models.SourceNews:       "Berichten in lokale en landelijke media.",
	models.SourceSocial:     "Openbare berichten op bijvoorbeeld X, Facebook, Instagram, LinkedIn en TikTok.",
	models.SourceSideJobs:   "Nevenfuncties die de kandidaat al als raadslid of bestuurder heeft opgegeven.",
	models.SourceOwnSearch:  "Een zoekopdracht of bron die niet in de lijst staat, bijvoorbeeld een zoekmachine of een archief.",
}

// SourceRequest records a check of one source. Severity empty means no
// finding; with a severity the finding and the question are required.
type SourceRequest struct {
	ID        string `json:"id" validate:"omitempty,max=100"`
	Source    string `json:"source" validate:"required,oneof=kvk kadaster insolventieregister rechtspraak nieuws sociale_media nevenfunctieregister eigen_zoekopdracht"`
	Title     string `json:"title" validate:"max=200"`
	CheckedOn string `json:"checked_on" validate:"omitempty,datetime=2006-01-02"`
	Result    string `json:"result" validate:"notblank,max=5000"`
	Link      string `json:"link" validate:"max=2000"`
	Severity  string `json:"severity" validate:"omitempty,oneof=info oranje rood blok"`
	Finding   string `json:"finding" validate:"max=1000"`
	Ask       string `json:"ask" validate:"max=1000"`
}

func (SourceRequest) texts() map[string]string {
	return map[string]string{
		"source":          "Kies een bron uit de lijst.",
		"title.max":       "Gebruik ten hoogste 200 tekens voor de titel.",
		"result.notblank": "Schrijf op wat u vond. Vond u niets? Schrijf dan: niets gevonden.",
		"result.max":      "Gebruik ten hoogste 5.000 tekens voor wat u vond.",
		"link.max":        "De link is te lang: gebruik ten hoogste 2.000 tekens.",
		"severity":        "Kies geen bevinding, of een van de niveaus info, oranje, rood of blok.",
		"finding.max":     "Gebruik ten hoogste 1.000 tekens voor de bevinding.",
		"ask.max":         "Gebruik ten hoogste 1.000 tekens voor de vraag.",
		"checked_on":      "Vul een datum in als JJJJ-MM-DD.",
		"id":              "Deze zoekopdracht bestaat niet.",
	}
}

func (r SourceRequest) check(env checkEnv) map[string]string {
	bad := map[string]string{}
	if r.CheckedOn != "" {
		if t, _ := time.Parse(time.DateOnly, r.CheckedOn); t.After(env.Now) {
			bad["checked_on"] = "Een datum in de toekomst kan niet: vul de dag in waarop u de bron bekeek."
		}
	}
	own := r.Source == models.SourceOwnSearch
	switch {
	case own && strings.TrimSpace(r.Title) == "":
		bad["title"] = "Geef de zoekopdracht een titel, bijvoorbeeld: zoekmachine op naam en woonplaats."
	case !own && r.Title != "":
		bad["title"] = "Een titel hoort alleen bij een eigen zoekopdracht. Maak dit veld leeg."
	}
	if !own && r.ID != "" {
		bad["id"] = "Alleen een eigen zoekopdracht heeft een nummer."
	}
	if r.Link != "" && !validLink(r.Link) {
		bad["link"] = "Vul een volledige link in die begint met https:// of http://, bijvoorbeeld https://www.rechtspraak.nl/…"
	}
	if r.Severity == "" {
		if strings.TrimSpace(r.Finding) != "" || strings.TrimSpace(r.Ask) != "" {
			bad["severity"] = "Een bevinding en een vraag horen bij een niveau. Kies een niveau, of maak de bevinding en de vraag leeg."
		}
	} else {
		if strings.TrimSpace(r.Finding) == "" {
			bad["finding"] = "Schrijf in één of twee zinnen wat de bevinding is."
		}
		if strings.TrimSpace(r.Ask) == "" {
			bad["ask"] = "Schrijf de vraag die u de kandidaat in het gesprek wilt stellen."
		}
	}
	return bad
}

// validLink is an absolute http(s) address with a host. It is kept as
// text and shown as a link; the service never opens it.
func validLink(s string) bool {
	if strings.ContainsAny(s, " \t\r\n<>\"") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// RecordSourceCheck records a check (again: the last check's who and when
// are kept); created tells a new row. Without a date the check is of today.
func (s *Service) RecordSourceCheck(ctx context.Context, a models.Actor, k *models.Candidate, req SourceRequest) (*models.SourceCheckView, bool, error) {
	if err := s.check(req); err != nil {
		return nil, false, err
	}
	on := req.CheckedOn
	if on == "" {
		on = amsterdam(s.store.Now()).Format(time.DateOnly)
	}
	in := models.SourceCheckInput{ID: req.ID, Source: req.Source, Title: strings.TrimSpace(req.Title), CheckedOn: on,
		Result: req.Result, Link: req.Link}
	if req.Severity != "" {
		in.Finding = &models.SourceFinding{Severity: questionnaires.Level(req.Severity), Text: strings.TrimSpace(req.Finding), Ask: strings.TrimSpace(req.Ask)}
	}
	return s.store.RecordSourceCheck(ctx, a, k, in)
}

// SourceItem is one source of the checklist with its checks (at most one,
// except own searches).
type SourceItem struct {
	Source string                   `json:"source"`
	Label  string                   `json:"label"`
	Checks []models.SourceCheckView `json:"checks"`
}

// SourceList is a candidate's checklist.
type SourceList struct {
	CandidateID string       `json:"candidate_id"`
	Checked     int          `json:"checked"` // sources with at least one check
	Total       int          `json:"total"`
	Sources     []SourceItem `json:"sources"`
}

// SourceChecklist is the checklist of a file, every source in order (the
// caller audits the read as "sources.read").
func (s *Service) SourceChecklist(ctx context.Context, k *models.Candidate) (*SourceList, error) {
	cs, err := s.store.SourceChecks(ctx, k)
	if err != nil {
		return nil, err
	}
	out := &SourceList{CandidateID: k.ID, Total: len(models.Sources)}
	for _, src := range models.Sources {
		it := SourceItem{Source: src, Label: SourceLabels[src], Checks: []models.SourceCheckView{}}
		for _, c := range cs {
			if c.Source == src {
				it.Checks = append(it.Checks, c)
			}
		}
		if len(it.Checks) > 0 {
			out.Checked++
		}
		out.Sources = append(out.Sources, it)
	}
	return out, nil
}

// sourceFlags are the committee's findings as flags of domain openbronnen,
// each saying where it was found and that it is not the candidate's answer.
func (s *Service) sourceFlags(ctx context.Context, k *models.Candidate) ([]questionnaires.Flag, error) {
	flags, behind, err := s.store.SourceFlags(ctx, k)
	if err != nil {
		return nil, err
	}
	for i, c := range behind {
		where := SourceLabels[c.Source]
		if c.Title != "" {
			where += " (" + c.Title + ")"
		}
		flags[i].Why = "Bevinding uit het openbronnenonderzoek van de selectiecommissie: " + where + ", nagekeken op " +
			dutchDate(c.CheckedOn) + ". Dit is geen antwoord van de kandidaat."
	}
	return flags, nil
}

var dutchMonths = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// dutchDate writes YYYY-MM-DD as "3 maart 2025".
func dutchDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return strconv.Itoa(t.Day()) + " " + dutchMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

func amsterdam(t time.Time) time.Time {
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return t.In(loc)
	}
	return t
}
