package api

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
)

type partyRequest struct {
	Name string `json:"name" validate:"required,max=200"`
}

type partyView struct {
	ID                     string    `json:"id"`
	Name                   string    `json:"name"`
	MaxVOGAgeDays          int       `json:"max_vog_age_days"`
	RetentionDecidedDays   int       `json:"retention_decided_days"`
	RetentionWithdrawnDays int       `json:"retention_withdrawn_days"`
	ReferencesRequired     int       `json:"references_required"`
	CreatedAt              time.Time `json:"created_at"`
}

func viewParty(p *models.Party) partyView {
	return partyView{ID: p.ID, Name: p.Name, MaxVOGAgeDays: p.MaxVOGAgeDays, RetentionDecidedDays: p.RetentionDecidedDays,
		RetentionWithdrawnDays: p.RetentionWithdrawnDays, ReferencesRequired: p.ReferencesRequired, CreatedAt: p.CreatedAt}
}

func (h *Handler) createParty(c *fiber.Ctx) error {
	var req partyRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	p, err := h.store.CreateParty(c.UserContext(), actor(c), req.Name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewParty(p))
}

func (h *Handler) listParties(c *fiber.Ctx) error {
	ps, err := h.store.Parties(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]partyView, len(ps))
	for i := range ps {
		out[i] = viewParty(&ps[i])
	}
	return c.JSON(out)
}

type memberRequest struct {
	Email    string  `json:"email" validate:"required,email,max=254"`
	Name     string  `json:"name" validate:"required,max=200"`
	Role     string  `json:"role" validate:"required,oneof=bestuur commissie"`
	Password *string `json:"password" validate:"omitempty,min=12,max=1024"`
}

// memberView is a member as their party sees them: the name as the adder
// typed it and the state of this membership, never anything of the account
// (its own name, whether it logs in, other parties).
type memberView struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Name        string     `json:"name"`
	Role        string     `json:"role,omitempty"`
	Status      string     `json:"status"`
	Active      bool       `json:"active"`
	EmailStatus string     `json:"email_status,omitempty"`
	EmailError  string     `json:"email_error,omitempty"`
	AddedBy     string     `json:"added_by,omitempty"`
	AddedAt     time.Time  `json:"added_at"`
	ConfirmedBy string     `json:"confirmed_by,omitempty"`
	ConfirmedAt *time.Time `json:"confirmed_at,omitempty"`
	AcceptedAt  *time.Time `json:"accepted_at,omitempty"`
}

func viewMember(r models.MemberRow) memberView {
	return memberView{ID: r.UserID, Email: r.Email, Name: r.Name, Role: r.Role, Status: r.Status, Active: r.Active,
		AddedBy: r.AddedByName, AddedAt: r.CreatedAt, ConfirmedBy: r.ConfirmedByName, ConfirmedAt: r.ConfirmedAt, AcceptedAt: r.AcceptedAt}
}

// changedMember is the answer to a membership change: the row, with the
// account mail on its way when one was made due.
func changedMember(ch *models.MemberChange) memberView {
	v := viewMember(ch.Row)
	if ch.SetupSeq > 0 || ch.InviteSeq > 0 {
		v.EmailStatus = "wordt_verzonden"
	}
	return v
}

// errCommitteeOnly refuses a committee member's proposal of a board member.
var errCommitteeOnly = &Error{Status: fiber.StatusUnprocessableEntity, Code: "validatie", Message: "Niet alle velden zijn geldig.",
	Fields: map[string]string{"role": "Als lid van de selectiecommissie kunt u alleen een nieuw commissielid voorstellen."}}

// addMember adds a board member or proposes a committee member. The
// answer is the same whether the address already has an account (here or
// in another party) or not.
func (h *Handler) addMember(c *fiber.Ctx) error {
	var req memberRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	ctx := c.UserContext()
	if req.Password != nil && roleOf(c) != models.RoleAdmin {
		// The board invites; only the member chooses a password (through the
		// set-up link), so nobody can make a login for themselves.
		return fieldErr("password", "Alleen de beheerder kan een wachtwoord meegeven. Het nieuwe lid krijgt een e-mail om zelf een wachtwoord te kiezen.")
	}
	if roleOf(c) == models.RoleCommissie && req.Role != models.RoleCommissie {
		return errCommitteeOnly
	}
	ch, err := h.store.ProposeMember(ctx, actor(c), partyOf(c), models.NewMember{Email: req.Email, Name: req.Name, Role: req.Role, Password: req.Password})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(changedMember(ch))
}

// confirmMember confirms a proposed committee member (another committee
// member; the admin while the party has no active committee).
func (h *Handler) confirmMember(c *fiber.Ctx) error {
	ch, err := h.store.ConfirmMember(c.UserContext(), actor(c), partyOf(c), c.Params("uid"))
	if err != nil {
		return err
	}
	return c.JSON(changedMember(ch))
}

// rejectMember discards a proposed committee member.
func (h *Handler) rejectMember(c *fiber.Ctx) error {
	ch, err := h.store.RejectMember(c.UserContext(), actor(c), partyOf(c), c.Params("uid"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": ch.Row.UserID, "status": "afgewezen"})
}

func (h *Handler) resendSetup(c *fiber.Ctx) error {
	ch, err := h.store.ResendSetup(c.UserContext(), actor(c), partyOf(c), c.Params("uid"))
	if err != nil {
		return err
	}
	return c.JSON(changedMember(ch))
}

func (h *Handler) listMembers(c *fiber.Ctx) error {
	ms, err := h.store.Members(c.UserContext(), partyOf(c))
	if err != nil {
		return err
	}
	ds, err := h.store.DeliveriesByKey(c.UserContext(), memberMailKeys(ms))
	if err != nil {
		return err
	}
	out := make([]memberView, len(ms))
	for i, m := range ms {
		out[i] = viewMember(m)
		if d, ok := ds[m.MailKey]; ok {
			out[i].EmailStatus, out[i].EmailError = screening.EmailStatus(&d)
		} else if m.MailKey != "" {
			out[i].EmailStatus = "wordt_verzonden"
		}
	}
	return c.JSON(out)
}

// memberMailKeys are the delivery keys of the account mails members wait for.
func memberMailKeys(ms []models.MemberRow) []string {
	var keys []string
	for _, m := range ms {
		if m.MailKey != "" {
			keys = append(keys, m.MailKey)
		}
	}
	return keys
}

type acceptRequest struct {
	Token    string  `json:"token" validate:"required,max=200"`
	Password *string `json:"password" validate:"omitempty,min=12,max=1024"`
}

// ErrMembershipLink is a used or expired acceptance link (API and page).
var ErrMembershipLink = newErr(fiber.StatusGone, "verlopen", "Deze link is al gebruikt of verlopen. Vraag degene die u heeft uitgenodigd om een nieuwe link.")

// acceptMembership accepts a membership through the link of its mail
// (with a password when the account has none yet).
func (h *Handler) acceptMembership(c *fiber.Ctx) error {
	var req acceptRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	u, m, err := h.store.AcceptMembership(c.UserContext(), req.Token, req.Password)
	if errors.Is(err, models.ErrGone) {
		return ErrMembershipLink
	}
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": u.ID, "email": u.Email, "party_id": m.PartyID, "role": m.Role, "status": m.Status})
}

type roundRequest struct {
	screening.RoundRequest
	Deadline string `json:"deadline" validate:"required,max=40"`
}

type roundView struct {
	ID                   string    `json:"id"`
	PartyID              string    `json:"party_id"`
	Name                 string    `json:"name"`
	Office               string    `json:"office"`
	Deadline             time.Time `json:"deadline"`
	Questionnaire        string    `json:"questionnaire"`
	QuestionnaireVersion int       `json:"questionnaire_version"`
	CreatedAt            time.Time `json:"created_at"`
}

func viewRound(r *models.Round) roundView {
	return roundView{ID: r.ID, PartyID: r.PartyID, Name: r.Name, Office: r.Office, Deadline: r.Deadline,
		Questionnaire: r.QuestionnaireID, QuestionnaireVersion: r.QuestionnaireVersion, CreatedAt: r.CreatedAt}
}

// parseDeadline accepts a date (the end of that day, Dutch time) or an
// RFC 3339 timestamp.
func parseDeadline(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		loc = time.UTC
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, false
	}
	return d.Add(24*time.Hour - time.Second), true
}

func (h *Handler) createRound(c *fiber.Ctx) error {
	var req roundRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	deadline, ok := parseDeadline(req.Deadline)
	if !ok {
		return fieldErr("deadline", "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2027-01-31.")
	}
	req.RoundRequest.Deadline = deadline
	r, err := h.app.CreateRound(c.UserContext(), actor(c), partyOf(c), req.RoundRequest)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewRound(r))
}

func (h *Handler) listRounds(c *fiber.Ctx) error {
	rs, err := h.store.Rounds(c.UserContext(), partyOf(c))
	if err != nil {
		return err
	}
	out := make([]roundView, len(rs))
	for i := range rs {
		out[i] = viewRound(&rs[i])
	}
	return c.JSON(out)
}

func fieldErr(field, msg string) error {
	return &Error{Status: fiber.StatusUnprocessableEntity, Code: "validatie", Message: "Niet alle velden zijn geldig.", Fields: map[string]string{field: msg}}
}

type auditCheck struct {
	PartyID  string `json:"party_id"`
	Party    string `json:"party"`
	Intact   bool   `json:"intact"`
	BrokenAt int64  `json:"broken_at,omitempty"`
}

// verifyAudit checks every party's audit hash chain (or ?party=ID) and
// reports the first broken link; it reads no content.
func (h *Handler) verifyAudit(c *fiber.Ctx) error {
	ps, err := h.store.Parties(c.UserContext())
	if err != nil {
		return err
	}
	out := []auditCheck{}
	for _, p := range ps {
		if q := c.Query("party"); q != "" && q != p.ID {
			continue
		}
		seq, err := h.store.VerifyAudit(c.UserContext(), p.ID)
		if err != nil {
			return err
		}
		out = append(out, auditCheck{PartyID: p.ID, Party: p.Name, Intact: seq == 0, BrokenAt: seq})
	}
	return c.JSON(out)
}
