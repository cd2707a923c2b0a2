package web

// The committee's member page (who is in the committee, who added and who
// confirmed them, proposals waiting for confirmation) and the page behind
// an acceptance link (issue 11, findings 6 and 14). The rules are the
// Store's (ProposeMember, ConfirmMember, RejectMember, AcceptMembership),
// the same as the JSON API's.

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/api"
	"github.com/weerbaar/weerbaar/models"
)

func (p *Pages) memberRoutes(r routeFn) []apiRoute {
	const com = models.RoleCommissie
	const m = "/commissie/partij/:pid/leden"
	return []apiRoute{
		r("GET", m, api.PartyScope, p.comMembers, com),
		r("POST", m, api.PartyScope, p.comProposeMember, com),
		r("POST", m+"/:uid/bevestigen", api.PartyScope, p.comConfirmMember, com),
		r("POST", m+"/:uid/afwijzen", api.PartyScope, p.comRejectMember, com),
		r("GET", "/account/lidmaatschap/:token", api.Public, p.membershipForm),
		r("POST", "/account/lidmaatschap/:token", api.Public, p.membershipAccept),
	}
}

func membersPath(pid string) string { return "/commissie/partij/" + pid + "/leden" }

var memberStatusNL = map[string]string{
	models.MemberPending: "Wacht op bevestiging",
	models.MemberInvited: "Uitgenodigd, nog niet aanvaard",
	models.MemberActive:  "Actief",
}

// memberItem is one row of the member page.
type memberItem struct {
	models.MemberRow
	StatusNL string
	Mine     bool // the viewer proposed it
}

type memberForm struct{ Name, Email string }

func (p *Pages) comMembers(c *fiber.Ctx) error { return p.renderMembers(c, memberForm{}, nil, 0) }

func (p *Pages) renderMembers(c *fiber.Ctx, form memberForm, errs []FieldError, status int) error {
	ms, err := p.store.Members(c.UserContext(), api.PartyOf(c))
	if err != nil {
		return err
	}
	me := comUserID(c)
	var pending, committee, board []memberItem
	for _, m := range ms {
		it := memberItem{MemberRow: m, StatusNL: memberStatusNL[m.Status], Mine: m.AddedBy == me}
		switch {
		case m.Status == models.MemberPending:
			pending = append(pending, it)
		case m.Role == models.RoleCommissie:
			committee = append(committee, it)
		default:
			board = append(board, it)
		}
	}
	v := p.comView(c, "Leden van de selectiecommissie", false)
	v.Errors = errs
	v.Data = map[string]any{"Pending": pending, "Committee": committee, "Board": board, "Form": form, "Base": membersPath(api.PartyOf(c))}
	return p.render(c, status, "committee_members", v)
}

// comProposeMember proposes a new committee member; another committee
// member must confirm.
func (p *Pages) comProposeMember(c *fiber.Ctx) error {
	form := memberForm{Name: strings.TrimSpace(c.FormValue("name")), Email: strings.TrimSpace(c.FormValue("email"))}
	var errs []FieldError
	switch {
	case form.Name == "":
		errs = append(errs, FieldError{"name", "Vul de naam van het nieuwe commissielid in."})
	case utf8.RuneCountInString(form.Name) > 200:
		errs = append(errs, FieldError{"name", "De naam is te lang: gebruik ten hoogste 200 tekens."})
	}
	if !validEmail(form.Email) {
		errs = append(errs, FieldError{"email", "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."})
	}
	if len(errs) > 0 {
		return p.renderMembers(c, form, errs, fiber.StatusUnprocessableEntity)
	}
	_, err := p.store.ProposeMember(c.UserContext(), api.ActorOf(c), api.PartyOf(c), models.NewMember{Email: form.Email, Name: form.Name, Role: models.RoleCommissie})
	if errors.Is(err, models.ErrDuplicate) {
		return p.renderMembers(c, form, []FieldError{{"email", "Iemand met dit e-mailadres is al lid van de partij of is al voorgesteld."}}, fiber.StatusConflict)
	}
	if err != nil {
		return err
	}
	flash(c, "Uw voorstel is opgeslagen. Een ander commissielid moet het bevestigen. Alle commissieleden krijgen een e-mail.")
	return redirect(c, membersPath(api.PartyOf(c)))
}

func (p *Pages) comConfirmMember(c *fiber.Ctx) error {
	_, err := p.store.ConfirmMember(c.UserContext(), api.ActorOf(c), api.PartyOf(c), c.Params("uid"))
	if err != nil {
		return err
	}
	flash(c, "U hebt het nieuwe commissielid bevestigd. Hij of zij krijgt nu een e-mail om het lidmaatschap te aanvaarden.")
	return redirect(c, membersPath(api.PartyOf(c)))
}

func (p *Pages) comRejectMember(c *fiber.Ctx) error {
	_, err := p.store.RejectMember(c.UserContext(), api.ActorOf(c), api.PartyOf(c), c.Params("uid"))
	if err != nil {
		return err
	}
	flash(c, "Het voorstel is afgewezen. Deze persoon krijgt geen toegang.")
	return redirect(c, membersPath(api.PartyOf(c)))
}

// ---- acceptance link ----

func (p *Pages) membershipView(c *fiber.Ctx, link *models.MembershipLink) View {
	v := p.base(c, "Uitnodiging aanvaarden")
	v.Narrow = true
	v.Data = map[string]any{"Token": c.Params("token"), "Link": link, "RoleNL": map[string]string{
		models.RoleBestuur: "het partijbestuur", models.RoleCommissie: "de selectiecommissie"}[link.Role]}
	return v
}

func (p *Pages) membershipForm(c *fiber.Ctx) error {
	link, err := p.store.PeekMembership(c.UserContext(), c.Params("token"))
	if errors.Is(err, models.ErrGone) || errors.Is(err, models.ErrNotFound) {
		return api.ErrMembershipLink
	}
	if err != nil {
		return err
	}
	return p.render(c, 0, "membership", p.membershipView(c, link))
}

func (p *Pages) membershipAccept(c *fiber.Ctx) error {
	if err := checkAnonCSRF(c); err != nil {
		return err
	}
	token := c.Params("token")
	link, err := p.store.PeekMembership(c.UserContext(), token)
	if errors.Is(err, models.ErrGone) || errors.Is(err, models.ErrNotFound) {
		return api.ErrMembershipLink
	}
	if err != nil {
		return err
	}
	var pw *string
	if link.NeedsPassword {
		v := p.membershipView(c, link)
		a, b := c.FormValue("password"), c.FormValue("password2")
		if utf8.RuneCountInString(a) < 12 {
			v.Errors = append(v.Errors, FieldError{"password", "Kies een wachtwoord van ten minste 12 tekens."})
		} else if utf8.RuneCountInString(a) > 1024 {
			v.Errors = append(v.Errors, FieldError{"password", "Het wachtwoord is te lang: gebruik ten hoogste 1024 tekens."})
		}
		if a != b {
			v.Errors = append(v.Errors, FieldError{"password2", "De twee wachtwoorden zijn niet gelijk. Typ hetzelfde wachtwoord nog een keer."})
		}
		if len(v.Errors) > 0 {
			return p.render(c, fiber.StatusUnprocessableEntity, "membership", v)
		}
		pw = &a
	}
	if _, _, err := p.store.AcceptMembership(c.UserContext(), token, pw); err != nil {
		if errors.Is(err, models.ErrGone) || errors.Is(err, models.ErrNotFound) {
			return api.ErrMembershipLink
		}
		return err
	}
	flash(c, "U hebt de uitnodiging aanvaard. Log in om verder te gaan.")
	return redirect(c, "/inloggen")
}
