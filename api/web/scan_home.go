package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

// ---- start page: consent, overview, status ----

type scanPrivacyBlock struct{ Heading, Body string }

// scanPrivacyBlocks splits the privacy statement into headed paragraphs: each
// block's first line is its heading when the block has more lines.
func scanPrivacyBlocks(text string) []scanPrivacyBlock {
	var out []scanPrivacyBlock
	for _, b := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		b = strings.TrimSpace(b)
		if b == "" {
			continue
		}
		head, body, ok := strings.Cut(b, "\n")
		if !ok {
			out = append(out, scanPrivacyBlock{Body: b})
			continue
		}
		out = append(out, scanPrivacyBlock{Heading: strings.TrimSpace(head), Body: strings.TrimSpace(body)})
	}
	return out
}

type scanSectionStatus struct {
	N       int
	Title   string
	Done    bool
	Missing int
}

type scanHomeData struct {
	Name          string
	Status        string
	StatusNL      string
	Consent       bool
	Editable      bool
	Privacy       []scanPrivacyBlock
	PrivacyVer    int
	Intro         string
	Sections      []scanSectionStatus
	Answered      int
	Total         int
	NextStep      string
	AllDone       bool
	Deadline      time.Time
	ReopenMessage string
	Hearing       *models.HearingView
	HasHearings   bool
	CanWithdraw   bool
	SubmittedAt   *time.Time
	WithdrawnAt   *time.Time
	Checked       bool
	Summary       bool // a confirmed advice: the summary for the board can be read
	References    bool // the committee asked for references (scan_references.go)
}

func (p *Pages) scanHome(c *fiber.Ctx) error {
	return p.scanRenderHome(c, 0, nil)
}

func (p *Pages) scanRenderHome(c *fiber.Ctx, status int, errs []FieldError) error {
	ctx := c.UserContext()
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	k, def := in.Candidate, in.Def
	d := scanHomeData{Name: k.Name, Status: string(k.Status), StatusNL: StatusNL(k.Status), Consent: k.ConsentAt != nil,
		Editable: scanEditable(k), PrivacyVer: def.Privacy.Version, Intro: def.Intro.NL, Deadline: in.Round.Deadline,
		CanWithdraw: models.Allowed(k.Status, models.ActWithdraw), SubmittedAt: k.SubmittedAt, WithdrawnAt: k.WithdrawnAt,
		Summary: k.Status == models.StatusDecided}
	if k.InviteExpiresAt != nil && k.InviteExpiresAt.Before(d.Deadline) {
		d.Deadline = *k.InviteExpiresAt
	}
	if d.ReopenMessage, err = p.store.ReopenMessage(k); err != nil {
		return err
	}
	hs, err := p.store.Hearings(ctx, k)
	if err != nil {
		return err
	}
	d.HasHearings = len(hs) > 0
	refs, _, err := p.store.References(ctx, k)
	if err != nil {
		return err
	}
	d.References = refs != nil
	if d.Hearing, err = p.scanOpenHearing(ctx, k); err != nil {
		return err
	}
	lang := p.langOf(c)
	d.Intro = def.Intro.In(lang)
	d.StatusNL = i18n.T(lang, d.StatusNL)
	title := "Uw scan"
	switch {
	case d.Editable && !d.Consent:
		title = "Voordat u begint"
		d.Privacy = scanPrivacyBlocks(def.Privacy.Text.In(lang))
	case d.Editable:
		title = "Uw weerbaarheidsscan"
		missing := map[string]bool{}
		for _, id := range def.Missing(in.Answers) {
			missing[id] = true
		}
		d.Answered, d.Total = def.Progress(in.Answers)
		for i, s := range def.Sections {
			st := scanSectionStatus{N: i + 1, Title: s.Title.In(lang)}
			for _, q := range s.Questions {
				if missing[q.ID] {
					st.Missing++
				}
			}
			st.Done = st.Missing == 0
			if !st.Done && d.NextStep == "" {
				d.NextStep = "/scan/stap/" + strconv.Itoa(i+1)
			}
			d.Sections = append(d.Sections, st)
		}
		d.AllDone = d.NextStep == ""
		if d.AllDone {
			d.NextStep = "/scan/controleren"
		}
	case k.Status == models.StatusWithdrawn:
		title = "U hebt zich teruggetrokken"
	case k.Status == models.StatusExpired || k.Status == models.StatusRevoked:
		title = "Uw uitnodiging werkt niet meer"
	default:
		title = "Uw scan is ingediend"
	}
	v := p.scanView(c, title)
	v.Errors = errs
	d.Checked = c.Method() == fiber.MethodPost && c.FormValue("akkoord") != ""
	v.Data = d
	return p.render(c, status, "scan_home", v)
}

func (p *Pages) scanConsent(c *fiber.Ctx) error {
	in, err := p.scanLoad(c)
	if err != nil {
		return err
	}
	if in.Candidate.ConsentAt != nil {
		return redirect(c, "/scan")
	}
	if c.FormValue("akkoord") != "ja" {
		return p.scanRenderHome(c, fiber.StatusUnprocessableEntity, []FieldError{{"akkoord",
			"Zet een vinkje bij „Ik heb dit gelezen en ga akkoord”. Zonder uw toestemming kunt u de scan niet invullen."}})
	}
	version, _ := strconv.Atoi(c.FormValue("versie"))
	err = p.app.Consent(c.UserContext(), in.Candidate, screening.ConsentRequest{PrivacyVersion: version})
	if e, ok := screening.Explain(err); ok && e.Kind == screening.Invalid {
		return p.scanRenderHome(c, fiber.StatusUnprocessableEntity, []FieldError{{"akkoord",
			"De privacyverklaring is gewijzigd. Lees de verklaring hieronder opnieuw en geef opnieuw toestemming."}})
	}
	if err != nil {
		return err
	}
	return redirect(c, "/scan/stap/1")
}
