package web

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

func (p *Pages) boardRoutes(r routeFn) []apiRoute {
	const b = models.RoleBestuur
	return []apiRoute{
		r("GET", "/bestuur/partij/:pid", api.PartyScope, p.boardParty, b),
		r("POST", "/bestuur/partij/:pid/rondes", api.PartyScope, p.boardCreateRound, b),
		r("GET", "/bestuur/ronde/:rid", api.RoundScope, p.boardRound, b),
		r("POST", "/bestuur/ronde/:rid/uitnodigen", api.RoundScope, p.boardInvite, b),
		r("POST", "/bestuur/ronde/:rid/csv", api.RoundScope, p.boardCSVPreview, b),
		r("POST", "/bestuur/ronde/:rid/csv/versturen", api.RoundScope, p.boardCSVSend, b),
		r("GET", "/bestuur/kandidaten/:cid", api.CandidateScope, p.boardCandidate, b),
		r("POST", "/bestuur/kandidaten/:cid/opnieuw", api.CandidateScope, p.boardResend, b),
		r("POST", "/bestuur/kandidaten/:cid/intrekken", api.CandidateScope, p.boardRevoke, b),
		r("GET", "/bestuur/kandidaten/:cid/samenvatting", api.CandidateScope, p.boardSummary, b),
		r("GET", "/bestuur/kandidaten/:cid/samenvatting.pdf", api.CandidateScope, p.boardSummaryPDF, b),
	}
}

func boardNav(pid string) []NavItem {
	return []NavItem{{Href: "/bestuur/partij/" + pid, Label: "Rondes"}}
}

type roundForm struct {
	Name, Office, Day, Month, Year string
}

type roundRow struct {
	Round  models.Round
	Counts map[string]int
	Total  int
}

func (p *Pages) boardParty(c *fiber.Ctx) error {
	return p.renderParty(c, roundForm{Office: "raadslid"}, nil)
}

func (p *Pages) renderParty(c *fiber.Ctx, form roundForm, errs []FieldError) error {
	ctx := c.UserContext()
	rs, err := p.store.Rounds(ctx, api.PartyOf(c))
	if err != nil {
		return err
	}
	rows := make([]roundRow, 0, len(rs))
	for _, r := range rs {
		cs, err := p.store.Candidates(ctx, r.ID, "")
		if err != nil {
			return err
		}
		row := roundRow{Round: r, Counts: map[string]int{}, Total: len(cs)}
		for _, k := range cs {
			row.Counts[string(k.Status)]++
		}
		rows = append(rows, row)
	}
	v := p.base(c, "Selectierondes")
	v.Nav = boardNav(api.PartyOf(c))
	v.Nav[0].Current = true
	v.Errors = errs
	v.Data = map[string]any{"Rounds": rows, "Form": form, "PartyID": api.PartyOf(c)}
	status := 0
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	return p.render(c, status, "board_party", v)
}

func (p *Pages) boardCreateRound(c *fiber.Ctx) error {
	f := roundForm{Name: strings.TrimSpace(c.FormValue("name")), Office: c.FormValue("office"),
		Day: strings.TrimSpace(c.FormValue("deadline-day")), Month: strings.TrimSpace(c.FormValue("deadline-month")), Year: strings.TrimSpace(c.FormValue("deadline-year"))}
	fields := map[string]string{"name": "name", "office": "office-raadslid", "deadline": "deadline-day"}
	deadline, derr := parseDayMonthYear(f.Day, f.Month, f.Year)
	req := screening.RoundRequest{Name: f.Name, Office: f.Office, Deadline: deadline}
	errs := checkErrors(p.app.Check(req), fields)
	if derr != "" {
		errs = append(errs, FieldError{"deadline-day", derr})
	}
	if len(errs) > 0 {
		return p.renderParty(c, f, errs)
	}
	r, err := p.app.CreateRound(c.UserContext(), api.ActorOf(c), api.PartyOf(c), req)
	if errs, _, ok := formErrors(err, "name", fields); ok {
		return p.renderParty(c, f, errs)
	}
	if err != nil {
		return err
	}
	flash(c, "De ronde "+r.Name+" is aangemaakt. Nodig nu kandidaten uit.")
	return redirect(c, "/bestuur/ronde/"+r.ID)
}

// parseDayMonthYear reads a date from three fields: the end of that day,
// Dutch time.
func parseDayMonthYear(d, m, y string) (time.Time, string) {
	if d == "" || m == "" || y == "" {
		return time.Time{}, "Vul de sluitingsdatum in: dag, maand en jaar."
	}
	di, e1 := strconv.Atoi(d)
	mi, e2 := strconv.Atoi(m)
	yi, e3 := strconv.Atoi(y)
	if e1 != nil || e2 != nil || e3 != nil || yi < 2000 || yi > 2100 || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return time.Time{}, "De sluitingsdatum moet een echte datum zijn, zoals 31 1 2027."
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		loc = time.UTC
	}
	t := time.Date(yi, time.Month(mi), di, 23, 59, 59, 0, loc)
	if t.Day() != di {
		return time.Time{}, "Deze datum bestaat niet. Controleer dag en maand."
	}
	return t, ""
}

type inviteForm struct {
	Name, Email, CSV string
}

type csvRow struct {
	Line        int
	Name, Email string
	Error       string
}

func (p *Pages) boardRound(c *fiber.Ctx) error { return p.renderRound(c, inviteForm{}, nil, nil) }

func (p *Pages) renderRound(c *fiber.Ctx, form inviteForm, errs []FieldError, preview []csvRow) error {
	ctx := c.UserContext()
	r := api.RoundOf(c)
	rows, err := p.store.Candidates(ctx, r.ID, "")
	if err != nil {
		return err
	}
	views, err := p.app.BoardViews(ctx, rows)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	problems := 0
	for _, v := range views {
		counts[v.Status]++
		if v.EmailStatus == "niet_afgeleverd" {
			problems++
		}
	}
	v := p.base(c, "Ronde "+r.Name)
	v.Nav = boardNav(r.PartyID)
	v.Errors = errs
	valid := 0
	var validLines []string
	for _, row := range preview {
		if row.Error == "" {
			valid++
			validLines = append(validLines, row.Name+";"+row.Email)
		}
	}
	v.Data = map[string]any{"Round": r, "Candidates": views, "Counts": counts, "Problems": problems, "Form": form,
		"Preview": preview, "ValidCount": valid, "ValidCSV": strings.Join(validLines, "\n"),
		"Statuses": []string{"invited", "in_progress", "submitted", "profiled", "decided", "withdrawn", "expired", "revoked"}}
	status := 0
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	return p.render(c, status, "board_round", v)
}

func validEmail(s string) bool { return screening.ValidEmail(s) }

func (p *Pages) boardInvite(c *fiber.Ctx) error {
	f := inviteForm{Name: strings.TrimSpace(c.FormValue("name")), Email: strings.TrimSpace(c.FormValue("email"))}
	k, err := p.invite(c.UserContext(), c, f.Name, f.Email)
	if errors.Is(err, models.ErrDuplicate) {
		return p.renderRound(c, f, []FieldError{{"email", "Dit e-mailadres is al uitgenodigd in deze ronde."}}, nil)
	}
	if e, ok := screening.Explain(err); ok && e.Kind == screening.Invalid {
		// The summary links to the invite form's inputs (ids name, email).
		return p.renderRound(c, f, checkErrors(e, map[string]string{"name": "name", "email": "email"}), nil)
	}
	if err != nil {
		return err
	}
	flash(c, "De uitnodiging aan "+k.Name+" wordt verstuurd.")
	return redirect(c, "/bestuur/ronde/"+k.RoundID)
}

// invite runs the same steps as the JSON API (the mail is an outbox task of
// the store's transaction).
func (p *Pages) invite(ctx context.Context, c *fiber.Ctx, name, email string) (*models.Candidate, error) {
	k, err := p.app.Invite(ctx, api.ActorOf(c), api.RoundOf(c), screening.InviteRequest{Name: name, Email: email})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// MaxCSVRows caps one upload.
const MaxCSVRows = 500

// parseCSV reads "naam;e-mail" lines (also comma-separated) and marks each
// row's problem: missing name, invalid address, duplicate in the file or
// already invited in the round.
func parseCSV(text string, existing map[string]bool) ([]csvRow, string) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	if strings.Count(text, ";") >= strings.Count(text, ",") {
		r.Comma = ';'
	}
	var rows []csvRow
	seen := map[string]int{}
	line := 0
	for {
		rec, err := r.Read()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			return nil, "Het bestand kon niet worden gelezen. Zet op elke regel: naam;e-mailadres."
		}
		line++
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		row := csvRow{Line: line}
		if len(rec) >= 1 {
			row.Name = strings.TrimSpace(rec[0])
		}
		if len(rec) >= 2 {
			row.Email = strings.ToLower(strings.TrimSpace(rec[1]))
		}
		switch {
		case line == 1 && strings.EqualFold(row.Name, "naam"):
			continue // header
		case len(rec) != 2:
			row.Error = "Zet op deze regel precies twee dingen: naam;e-mailadres."
		case row.Name == "":
			row.Error = "De naam ontbreekt."
		case !validEmail(row.Email):
			row.Error = "Dit is geen geldig e-mailadres."
		case existing[row.Email]:
			row.Error = "Al uitgenodigd in deze ronde."
		case seen[row.Email] > 0:
			row.Error = fmt.Sprintf("Dubbel: staat ook op regel %d.", seen[row.Email])
		}
		if row.Error == "" {
			seen[row.Email] = line
		}
		rows = append(rows, row)
		if len(rows) > MaxCSVRows {
			return nil, fmt.Sprintf("Er staan meer dan %d regels in. Verdeel de lijst over meer keren.", MaxCSVRows)
		}
	}
	if len(rows) == 0 {
		return nil, "Er staan geen kandidaten in. Zet op elke regel: naam;e-mailadres."
	}
	return rows, ""
}

func (p *Pages) existingEmails(c *fiber.Ctx) (map[string]bool, error) {
	rows, err := p.store.Candidates(c.UserContext(), api.RoundOf(c).ID, "")
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		out[r.Email] = true
	}
	return out, nil
}

func (p *Pages) csvInput(c *fiber.Ctx) string {
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > 256*1024 {
			return ""
		}
		f, err := fh.Open()
		if err == nil {
			defer f.Close()
			buf := make([]byte, fh.Size)
			if _, err := f.Read(buf); err == nil {
				return string(buf)
			}
		}
	}
	return c.FormValue("csv")
}

func (p *Pages) boardCSVPreview(c *fiber.Ctx) error {
	text := p.csvInput(c)
	existing, err := p.existingEmails(c)
	if err != nil {
		return err
	}
	rows, problem := parseCSV(text, existing)
	if problem != "" {
		return p.renderRound(c, inviteForm{CSV: text}, []FieldError{{"csv", problem}}, nil)
	}
	return p.renderRound(c, inviteForm{CSV: text}, nil, rows)
}

func (p *Pages) boardCSVSend(c *fiber.Ctx) error {
	existing, err := p.existingEmails(c)
	if err != nil {
		return err
	}
	rows, problem := parseCSV(c.FormValue("csv"), existing)
	if problem != "" {
		return p.renderRound(c, inviteForm{}, []FieldError{{"csv", problem}}, nil)
	}
	sent := 0
	for _, row := range rows {
		if row.Error != "" {
			continue
		}
		if _, err := p.invite(c.UserContext(), c, row.Name, row.Email); err != nil && !errors.Is(err, models.ErrDuplicate) {
			return err
		}
		sent++
	}
	flash(c, fmt.Sprintf("%d uitnodiging(en) worden verstuurd.", sent))
	return redirect(c, "/bestuur/ronde/"+api.RoundOf(c).ID)
}

func (p *Pages) boardCandidate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	k := api.CandidateOf(c)
	d, err := p.store.LatestDecision(ctx, k)
	if err != nil {
		return err
	}
	views, err := p.app.BoardViews(ctx, []models.CandidateRow{{Candidate: *k, Decision: d}})
	if err != nil {
		return err
	}
	r, err := p.store.Round(ctx, k.RoundID)
	if err != nil {
		return err
	}
	v := p.base(c, k.Name)
	v.Nav = boardNav(k.PartyID)
	v.Data = map[string]any{"C": views[0], "Round": r}
	return p.render(c, 0, "board_candidate", v)
}

func (p *Pages) boardResend(c *fiber.Ctx) error {
	k, err := p.app.Resend(c.UserContext(), api.ActorOf(c), api.CandidateOf(c))
	if err != nil {
		return err
	}
	flash(c, "Er gaat een nieuwe uitnodiging naar "+k.Name+". De oude link werkt niet meer.")
	return redirect(c, "/bestuur/ronde/"+k.RoundID)
}

func (p *Pages) boardRevoke(c *fiber.Ctx) error {
	k, err := p.app.Revoke(c.UserContext(), api.ActorOf(c), api.CandidateOf(c))
	if err != nil {
		return err
	}
	flash(c, "De uitnodiging van "+k.Name+" is ingetrokken.")
	return redirect(c, "/bestuur/ronde/"+k.RoundID)
}
