package models

// Members of a party and their life cycle (issue 11, findings 6 and 14).
//
//	(committee member proposed)     wacht_op_bevestiging
//	        │ confirmed by another active committee member
//	        │ (a party without an active committee: by the admin;
//	        │  the board is told)                       ──reject──▶ (deleted)
//	        ▼
//	    uitgenodigd ── the person accepts through the link in a mail ──▶ actief
//
// A board member skips the first step. The mail of "uitgenodigd" is the
// account set-up mail when this membership created the account (choosing
// the password is the acceptance), otherwise an acceptance mail of its own
// (kind "membership", numbered by invite_seq). Only an active membership
// gives its role (MemberRole). Nothing in an answer to the party depends on
// whether the address already had an account, in this or another party:
// the name shown is the one the adder typed.
//
// Every active committee member gets a notice of each change to the
// committee (member_notices; the worker mails them once).

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/secure"
)

// Mail kinds of memberships.
const (
	MailMembership   = "membership"    // acceptance mail of an existing account
	MailMemberNotice = "member_notice" // a change to the committee
)

// Notice actions.
const (
	NoticeProposed  = "voorgesteld" // to the committee: a new member waits for confirmation
	NoticeConfirmed = "bevestigd"   // to the committee: a proposal was confirmed
	NoticeRejected  = "afgewezen"   // to the committee: a proposal was rejected
	NoticeAdded     = "toegevoegd"  // to the committee: added without a proposal (first committee, CLI)
	NoticeBoard     = "bestuur"     // to the board: a committee member was added while the party had no active committee
)

// Refusals of the membership rules (409).
var (
	ErrNoMemberProposal   = &ReviewError{"geen_voorstel"}
	ErrOwnMemberProposal  = &ReviewError{"eigen_voorstel"}
	ErrCommitteeConfirms  = &ReviewError{"commissie_bevestigt"}
	ErrMemberNotConfirmed = &ReviewError{"wacht_op_bevestiging"}
	ErrMemberActive       = &ReviewError{"al_actief"}
)

// NewMember is who is added, as the adder typed it.
type NewMember struct {
	Email, Name, Role string
	// Password (admin and CLI only) is used only when the address has no
	// account yet.
	Password *string
}

// MemberChange is the outcome of a change to a membership: the row as the
// party sees it and the mails it made due (written as outbox tasks in the
// change's transaction).
type MemberChange struct {
	Row MemberRow
	// SetupSeq > 0: set-up mail number SetupSeq to UserID is due.
	SetupSeq int
	// InviteSeq > 0: acceptance mail number InviteSeq of MembershipID is due.
	InviteSeq    int
	MembershipID string
	UserID       string
	// Notices are member_notices ids to mail.
	Notices []string
}

// MemberRow is a member as their party sees them.
type MemberRow struct {
	UserID          string
	Email           string
	Name            string
	Role            string
	Status          string
	Active          bool
	CreatedAt       time.Time
	AddedBy         string
	AddedByName     string
	ConfirmedBy     string
	ConfirmedByName string
	ConfirmedAt     *time.Time
	AcceptedAt      *time.Time
	// MailKey is the delivery key of the account mail the member waits
	// for ("" when none).
	MailKey string
}

func memberRow(m *Membership, u *User) MemberRow {
	r := MemberRow{UserID: m.UserID, Email: u.Email, Name: m.Name, Role: m.Role, Status: m.Status, Active: m.Status == MemberActive,
		CreatedAt: m.CreatedAt, AddedBy: m.AddedBy, AddedByName: m.AddedByName, ConfirmedByName: m.ConfirmedByName,
		ConfirmedAt: m.ConfirmedAt, AcceptedAt: m.AcceptedAt}
	if m.ConfirmedBy != nil {
		r.ConfirmedBy = *m.ConfirmedBy
	}
	if m.Status == MemberInvited {
		switch {
		case m.InviteSeq > 0:
			r.MailKey = DeliveryKey(MailMembership, m.ID, m.InviteSeq)
		case u.SetupPartyID != nil && *u.SetupPartyID == m.PartyID && u.SetupSeq > 0:
			r.MailKey = DeliveryKey(MailSetup, u.ID, u.SetupSeq)
		}
	}
	return r
}

// activeMembers is the query of a party's active members with a role who
// can log in.
func activeMembers(tx *gorm.DB, partyID, role string) *gorm.DB {
	return tx.Model(&Membership{}).Where("memberships.party_id = ? AND memberships.role = ? AND memberships.status = ?", partyID, role, MemberActive).
		Where("EXISTS (SELECT 1 FROM users WHERE users.id = memberships.user_id AND users.password_hash IS NOT NULL)")
}

func activeCommittee(tx *gorm.DB, partyID string) (int64, error) {
	var n int64
	err := activeMembers(tx, partyID, RoleCommissie).Count(&n).Error
	return n, err
}

// lockParty serialises membership changes of a party (the committee count
// decides who may confirm).
func lockParty(tx *gorm.DB, partyID string) error {
	res := tx.Model(&Party{}).Where("id = ?", partyID).UpdateColumn("audit_seq", gorm.Expr("audit_seq"))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// isOperator tells the platform operator's tools (CLI, demo, bench
// seeding) from a logged-in admin: their actor is not a user.
func isOperator(tx *gorm.DB, a Actor) (bool, error) {
	if a.Role != RoleAdmin {
		return false, nil
	}
	var n int64
	err := tx.Model(&User{}).Where("id = ? AND is_admin = ?", a.ID, true).Count(&n).Error
	return n == 0, err
}

// actorName is how the party knows the actor: their name as a member, or
// the admin.
func actorName(tx *gorm.DB, partyID string, a Actor) (string, error) {
	if a.Role == RoleAdmin {
		return "de beheerder", nil
	}
	var m Membership
	err := tx.Select("name").Where("party_id = ? AND user_id = ?", partyID, a.ID).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "onbekend", nil
	}
	return m.Name, err
}

// AddMember is the platform operator's way in (CLI, demo, benchmark
// seeding): it needs no committee confirmation, and a new account's
// membership is active at once (the operator vouches for it; without a
// password the set-up mail goes out). An existing account still has to
// accept by mail, and the committee (or, without one, the board) is told.
func (s *Store) AddMember(ctx context.Context, actor Actor, partyID, email, name, role string, password *string) (*User, *Membership, error) {
	var u User
	var m Membership
	err := s.tx(ctx, func(tx *gorm.DB) error {
		_, err := s.addMember(tx, actor, partyID, NewMember{Email: email, Name: name, Role: role, Password: password}, true, &u, &m)
		return err
	})
	if err != nil {
		return nil, nil, notFound(err)
	}
	return &u, &m, nil
}

// ProposeMember adds a member through the API or the pages. A committee
// member needs the confirmation of another active committee member, except
// when the admin adds one to a party without an active committee (then the
// board is told). The answer is the same whether or not the address
// already had an account.
func (s *Store) ProposeMember(ctx context.Context, actor Actor, partyID string, nm NewMember) (*MemberChange, error) {
	var ch *MemberChange
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		var m Membership
		var err error
		ch, err = s.addMember(tx, actor, partyID, nm, false, &u, &m)
		return err
	})
	if err != nil {
		return nil, notFound(err)
	}
	return ch, nil
}

func (s *Store) addMember(tx *gorm.DB, actor Actor, partyID string, nm NewMember, operator bool, u *User, m *Membership) (*MemberChange, error) {
	if err := lockParty(tx, partyID); err != nil {
		return nil, err
	}
	if !operator {
		op, err := isOperator(tx, actor)
		if err != nil {
			return nil, err
		}
		operator = op
	}
	now := s.now()
	email, name := NormalizeEmail(nm.Email), strings.TrimSpace(nm.Name)
	created := false
	err := tx.Take(u, "email = ?", email).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		var hash *string
		if nm.Password != nil {
			h, err := secure.HashPassword(*nm.Password)
			if err != nil {
				return nil, err
			}
			hash = &h
		}
		*u = User{ID: newID(), Email: email, Name: name, PasswordHash: hash, SetupPartyID: &partyID, SetupRole: &nm.Role, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(u).Error; err != nil {
			return nil, err
		}
		created = true
	case err != nil:
		return nil, err
	default:
		if nm.Password != nil {
			// The address's password stays its own; hash anyway so a known
			// address takes as long as an unknown one.
			if _, err := secure.HashPassword(*nm.Password); err != nil {
				return nil, err
			}
		}
		var n int64
		if err := tx.Model(&Membership{}).Where("party_id = ? AND user_id = ?", partyID, u.ID).Count(&n).Error; err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, ErrDuplicate
		}
	}
	by, err := actorName(tx, partyID, actor)
	if err != nil {
		return nil, err
	}
	nActive, err := activeCommittee(tx, partyID)
	if err != nil {
		return nil, err
	}
	*m = Membership{ID: newID(), PartyID: partyID, UserID: u.ID, Role: nm.Role, Status: MemberPending, Name: name,
		AddedBy: actor.ID, AddedByName: by, AccountCreated: created, CreatedAt: now}
	pending := nm.Role == RoleCommissie && !operator && !(actor.Role == RoleAdmin && nActive == 0)
	if !pending && nm.Role == RoleCommissie {
		m.ConfirmedBy, m.ConfirmedByName, m.ConfirmedAt = &actor.ID, by, &now
	}
	if err := tx.Create(m).Error; err != nil {
		return nil, err
	}
	ch := &MemberChange{MembershipID: m.ID, UserID: u.ID}
	action := "member.add:" + nm.Role
	if pending {
		action = "member.propose:" + nm.Role
	} else if err := s.release(tx, m, u, operator && created, ch); err != nil {
		return nil, err
	}
	if err := s.audit(tx, partyID, nil, actor, action); err != nil {
		return nil, err
	}
	if nm.Role == RoleCommissie {
		kind := NoticeProposed
		if !pending {
			kind = NoticeAdded
		}
		if err := s.notifyCommitteeChange(tx, m, u.Email, kind, by, nActive == 0 && !pending, ch); err != nil {
			return nil, err
		}
	}
	ch.Row = memberRow(m, u)
	return ch, nil
}

// release moves a confirmed membership on: a new account with a password
// (admin, CLI) or the operator's new account is active at once; a new
// account without one waits for its set-up mail; an existing account for
// its acceptance mail.
func (s *Store) release(tx *gorm.DB, m *Membership, u *User, activeNow bool, ch *MemberChange) error {
	now := s.now()
	upd := map[string]any{}
	switch {
	case m.AccountCreated && (u.PasswordHash != nil || activeNow):
		m.Status, m.AcceptedAt = MemberActive, &now
		if u.PasswordHash == nil {
			if err := s.dueSetup(tx, m, u, ch); err != nil {
				return err
			}
		}
	case m.AccountCreated:
		m.Status = MemberInvited
		if err := s.dueSetup(tx, m, u, ch); err != nil {
			return err
		}
	default:
		m.Status = MemberInvited
		m.InviteSeq++
		m.InviteTokenHash = nil
		upd["invite_seq"], upd["invite_token_hash"] = m.InviteSeq, nil
		ch.InviteSeq = m.InviteSeq
		if err := s.addTasks(tx, membershipTask(m.ID, m.InviteSeq)); err != nil {
			return err
		}
	}
	upd["status"], upd["accepted_at"] = m.Status, m.AcceptedAt
	upd["confirmed_by"], upd["confirmed_by_name"], upd["confirmed_at"] = m.ConfirmedBy, m.ConfirmedByName, m.ConfirmedAt
	return tx.Model(&Membership{}).Where("id = ?", m.ID).Updates(upd).Error
}

// dueSetup makes the next set-up mail of the account due, for this party.
func (s *Store) dueSetup(tx *gorm.DB, m *Membership, u *User, ch *MemberChange) error {
	u.SetupSeq++
	u.SetupPartyID, u.SetupRole, u.SetupTokenHash = &m.PartyID, &m.Role, nil
	ch.SetupSeq = u.SetupSeq
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"setup_seq": u.SetupSeq, "setup_token_hash": nil, "setup_party_id": m.PartyID, "setup_role": m.Role}).Error; err != nil {
		return err
	}
	return s.addTasks(tx, mailTask(MailPayload{Kind: MailSetup, UserID: u.ID, Seq: u.SetupSeq}))
}

// membershipTask is acceptance mail number seq of a membership.
func membershipTask(membershipID string, seq int) OutboxTask {
	return mailTask(MailPayload{Kind: MailMembership, MembershipID: membershipID, Seq: seq})
}

// notifyCommitteeChange records a notice of the change for every active
// committee member, and for the board when the party had no active
// committee.
func (s *Store) notifyCommitteeChange(tx *gorm.DB, m *Membership, email, action, actorName string, toBoard bool, ch *MemberChange) error {
	var ids []string
	if err := activeMembers(tx, m.PartyID, RoleCommissie).Where("memberships.user_id <> ?", m.UserID).Pluck("memberships.user_id", &ids).Error; err != nil {
		return err
	}
	type rcpt struct{ id, action string }
	var rs []rcpt
	for _, id := range ids {
		rs = append(rs, rcpt{id, action})
	}
	if toBoard {
		var board []string
		if err := activeMembers(tx, m.PartyID, RoleBestuur).Pluck("memberships.user_id", &board).Error; err != nil {
			return err
		}
		for _, id := range board {
			rs = append(rs, rcpt{id, NoticeBoard})
		}
	}
	for _, r := range rs {
		n := MemberNotice{ID: newID(), PartyID: m.PartyID, RecipientID: r.id, Action: r.action, MemberName: m.Name, MemberEmail: email,
			MemberRole: m.Role, ActorName: actorName, CreatedAt: s.now()}
		if err := tx.Create(&n).Error; err != nil {
			return err
		}
		if err := s.addTasks(tx, mailTask(MailPayload{Kind: MailMemberNotice, NoticeID: n.ID})); err != nil {
			return err
		}
		ch.Notices = append(ch.Notices, n.ID)
	}
	return nil
}

// pendingMember loads a proposal of the party for the actor's decision.
func (s *Store) pendingMember(tx *gorm.DB, actor Actor, partyID, userID string) (*Membership, *User, int64, error) {
	if err := lockParty(tx, partyID); err != nil {
		return nil, nil, 0, err
	}
	var m Membership
	if err := tx.Take(&m, "party_id = ? AND user_id = ?", partyID, userID).Error; err != nil {
		return nil, nil, 0, notFound(err)
	}
	var u User
	if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
		return nil, nil, 0, notFound(err)
	}
	if m.Status != MemberPending {
		return nil, nil, 0, ErrNoMemberProposal
	}
	n, err := activeCommittee(tx, partyID)
	if err != nil {
		return nil, nil, 0, err
	}
	switch actor.Role {
	case RoleAdmin:
		if n > 0 {
			return nil, nil, 0, ErrCommitteeConfirms
		}
	case RoleCommissie:
	default:
		return nil, nil, 0, ErrCommitteeConfirms
	}
	return &m, &u, n, nil
}

// ConfirmMember confirms a proposed committee member: by an active
// committee member other than the proposer, or by the admin while the
// party has no active committee (the board is told).
func (s *Store) ConfirmMember(ctx context.Context, actor Actor, partyID, userID string) (*MemberChange, error) {
	var ch *MemberChange
	err := s.tx(ctx, func(tx *gorm.DB) error {
		m, u, nActive, err := s.pendingMember(tx, actor, partyID, userID)
		if err != nil {
			return err
		}
		if actor.Role == RoleCommissie && m.AddedBy == actor.ID {
			return ErrOwnMemberProposal
		}
		by, err := actorName(tx, partyID, actor)
		if err != nil {
			return err
		}
		now := s.now()
		m.ConfirmedBy, m.ConfirmedByName, m.ConfirmedAt = &actor.ID, by, &now
		ch = &MemberChange{MembershipID: m.ID, UserID: u.ID}
		if err := s.release(tx, m, u, false, ch); err != nil {
			return err
		}
		if err := s.audit(tx, partyID, nil, actor, "member.confirm:"+m.Role); err != nil {
			return err
		}
		if err := s.notifyCommitteeChange(tx, m, u.Email, NoticeConfirmed, by, nActive == 0, ch); err != nil {
			return err
		}
		ch.Row = memberRow(m, u)
		return nil
	})
	return ch, err
}

// RejectMember discards a proposal (any active committee member, the
// proposer too; the admin while the party has no active committee). An
// account made for the proposal alone is deleted with it.
func (s *Store) RejectMember(ctx context.Context, actor Actor, partyID, userID string) (*MemberChange, error) {
	var ch *MemberChange
	err := s.tx(ctx, func(tx *gorm.DB) error {
		m, u, _, err := s.pendingMember(tx, actor, partyID, userID)
		if err != nil {
			return err
		}
		by, err := actorName(tx, partyID, actor)
		if err != nil {
			return err
		}
		if err := tx.Where("id = ?", m.ID).Delete(&Membership{}).Error; err != nil {
			return err
		}
		var others int64
		if err := tx.Model(&Membership{}).Where("user_id = ?", u.ID).Count(&others).Error; err != nil {
			return err
		}
		switch {
		case m.AccountCreated && others == 0 && !u.IsAdmin:
			if err := tx.Where("id = ?", u.ID).Delete(&User{}).Error; err != nil {
				return err
			}
		case u.SetupPartyID != nil && *u.SetupPartyID == partyID:
			// No set-up mail for this party any more.
			if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"setup_sent_seq": u.SetupSeq, "setup_token_hash": nil}).Error; err != nil {
				return err
			}
		}
		if err := s.audit(tx, partyID, nil, actor, "member.reject:"+m.Role); err != nil {
			return err
		}
		ch = &MemberChange{MembershipID: m.ID, UserID: u.ID}
		if err := s.notifyCommitteeChange(tx, m, u.Email, NoticeRejected, by, false, ch); err != nil {
			return err
		}
		ch.Row = memberRow(m, u)
		return nil
	})
	return ch, err
}

// ResendSetup issues a new account link (set-up or acceptance) for a member
// who has not accepted yet. It answers the same for a new and an existing
// account.
func (s *Store) ResendSetup(ctx context.Context, actor Actor, partyID, userID string) (*MemberChange, error) {
	var ch *MemberChange
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Like every membership change: two resends at the same moment
		// each get their own mail number.
		if err := lockParty(tx, partyID); err != nil {
			return err
		}
		var m Membership
		if err := tx.Take(&m, "party_id = ? AND user_id = ?", partyID, userID).Error; err != nil {
			return notFound(err)
		}
		var u User
		if err := tx.Take(&u, "id = ?", userID).Error; err != nil {
			return notFound(err)
		}
		switch m.Status {
		case MemberPending:
			return ErrMemberNotConfirmed
		case MemberActive:
			return ErrMemberActive
		}
		ch = &MemberChange{MembershipID: m.ID, UserID: u.ID}
		if m.InviteSeq == 0 && m.AccountCreated && u.PasswordHash == nil {
			if err := s.dueSetup(tx, &m, &u, ch); err != nil {
				return err
			}
		} else {
			m.InviteSeq++
			ch.InviteSeq = m.InviteSeq
			if err := tx.Model(&Membership{}).Where("id = ?", m.ID).Updates(map[string]any{"invite_seq": m.InviteSeq, "invite_token_hash": nil}).Error; err != nil {
				return err
			}
			if err := s.addTasks(tx, membershipTask(m.ID, m.InviteSeq)); err != nil {
				return err
			}
		}
		if err := s.audit(tx, partyID, nil, actor, "member.setup_resend"); err != nil {
			return err
		}
		ch.Row = memberRow(&m, &u)
		return nil
	})
	return ch, err
}

// AcceptMembership accepts a membership through the link of its mail. An
// account without a password gets the one given (required then); an
// account that has one keeps it.
func (s *Store) AcceptMembership(ctx context.Context, token string, password *string) (*User, *Membership, error) {
	var u User
	var m Membership
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Locked: the link works once, also when it is used twice at the
		// same moment (the second sees the membership active: 410).
		if err := tx.Clauses(rowLock).Take(&m, "invite_token_hash = ?", secure.HashToken(token)).Error; err != nil {
			return notFound(err)
		}
		if m.Status != MemberInvited || m.InviteExpiresAt == nil || !m.InviteExpiresAt.After(s.now()) {
			return ErrGone
		}
		// The account too: two parties' links of one new account may not
		// both set its first password.
		if err := tx.Clauses(rowLock).Take(&u, "id = ?", m.UserID).Error; err != nil {
			return notFound(err)
		}
		now := s.now()
		if u.PasswordHash == nil {
			if password == nil || len([]rune(*password)) < 12 {
				return &ValidationError{Code: "password", Fields: map[string]string{"password": "too_short"}}
			}
			hash, err := secure.HashPassword(*password)
			if err != nil {
				return err
			}
			if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"password_hash": hash, "setup_token_hash": nil, "setup_expires_at": nil, "updated_at": now}).Error; err != nil {
				return err
			}
			if err := s.passwordChosen(tx, u.ID); err != nil {
				return err
			}
		}
		m.Status, m.AcceptedAt = MemberActive, &now
		if err := tx.Model(&Membership{}).Where("id = ? AND status = ?", m.ID, MemberInvited).
			Updates(map[string]any{"status": MemberActive, "accepted_at": now, "invite_expires_at": nil}).Error; err != nil {
			return err
		}
		return s.audit(tx, m.PartyID, nil, Actor{ID: u.ID, Role: m.Role}, "member.accept:"+m.Role)
	})
	if err != nil {
		return nil, nil, err
	}
	return &u, &m, nil
}

// passwordChosen runs when the person chose their account's first
// password through one party's link: every other membership now needs its
// own acceptance. Invitations that waited for the set-up mail get an
// acceptance mail (an outbox task); a proposal still waiting for its
// committee no longer counts as having created the account, so its
// confirmation sends an acceptance mail too instead of activating it.
func (s *Store) passwordChosen(tx *gorm.DB, userID string) error {
	var waiting []string
	if err := tx.Model(&Membership{}).Where("user_id = ? AND status = ? AND invite_seq = 0", userID, MemberInvited).Pluck("id", &waiting).Error; err != nil {
		return err
	}
	if len(waiting) > 0 {
		if err := tx.Model(&Membership{}).Where("id IN ? AND invite_seq = 0", waiting).
			Updates(map[string]any{"invite_seq": 1, "account_created": false}).Error; err != nil {
			return err
		}
		ts := make([]OutboxTask, len(waiting))
		for i, id := range waiting {
			ts[i] = membershipTask(id, 1)
		}
		if err := s.addTasks(tx, ts...); err != nil {
			return err
		}
	}
	return tx.Model(&Membership{}).Where("user_id = ? AND status = ?", userID, MemberPending).UpdateColumn("account_created", false).Error
}

// acceptBySetup activates the membership whose set-up mail the user
// followed (the set-up is its acceptance).
func (s *Store) acceptBySetup(tx *gorm.DB, u *User) error {
	if u.SetupPartyID == nil {
		return s.passwordChosen(tx, u.ID)
	}
	var m Membership
	err := tx.Take(&m, "party_id = ? AND user_id = ?", *u.SetupPartyID, u.ID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return s.passwordChosen(tx, u.ID)
	}
	if err != nil {
		return err
	}
	if m.Status == MemberInvited {
		if err := tx.Model(&Membership{}).Where("id = ?", m.ID).Updates(map[string]any{"status": MemberActive, "accepted_at": s.now()}).Error; err != nil {
			return err
		}
		if err := s.audit(tx, m.PartyID, nil, Actor{ID: u.ID, Role: m.Role}, "member.accept:"+m.Role); err != nil {
			return err
		}
	}
	return s.passwordChosen(tx, u.ID)
}

// Members lists a party's members as the party knows them.
func (s *Store) Members(ctx context.Context, partyID string) ([]MemberRow, error) {
	var ms []Membership
	if err := s.db.WithContext(ctx).Preload("User").Where("party_id = ?", partyID).Order("created_at").Find(&ms).Error; err != nil {
		return nil, err
	}
	out := make([]MemberRow, 0, len(ms))
	for i := range ms {
		if ms[i].User == nil {
			continue
		}
		out = append(out, memberRow(&ms[i], ms[i].User))
	}
	return out, nil
}

// DeliveriesByKey returns the deliveries with these keys.
func (s *Store) DeliveriesByKey(ctx context.Context, keys []string) (map[string]Delivery, error) {
	out := map[string]Delivery{}
	if len(keys) == 0 {
		return out, nil
	}
	var ds []Delivery
	if err := s.db.WithContext(ctx).Where("key IN ?", keys).Find(&ds).Error; err != nil {
		return nil, err
	}
	for _, d := range ds {
		out[d.Key] = d
	}
	return out, nil
}

// MembershipMail is what the worker needs for an acceptance mail.
type MembershipMail struct {
	Key        string
	User       *User
	Party      *Party
	Membership *Membership
	// NeedsPassword: the account has no password yet; the link's page
	// asks for one.
	NeedsPassword bool
	Token         string
	Expires       time.Time
}

// ClaimMembershipInvite claims acceptance mail number seq of a membership
// and creates its link (the older link stops working).
func (s *Store) ClaimMembershipInvite(ctx context.Context, membershipID string, seq int) (*MembershipMail, error) {
	var mm MembershipMail
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var m Membership
		if err := tx.Take(&m, "id = ?", membershipID).Error; err != nil {
			return notFound(err)
		}
		if m.Status != MemberInvited || seq < 1 || m.InviteSeq != seq {
			return ErrNotDue
		}
		var u User
		if err := tx.Take(&u, "id = ?", m.UserID).Error; err != nil {
			return notFound(err)
		}
		var p Party
		if err := tx.Take(&p, "id = ?", m.PartyID).Error; err != nil {
			return notFound(err)
		}
		mm = MembershipMail{Key: DeliveryKey(MailMembership, m.ID, seq), User: &u, Party: &p, Membership: &m, NeedsPassword: u.PasswordHash == nil}
		if err := s.claim(tx, Delivery{Key: mm.Key, Kind: MailMembership, Seq: seq, UserID: &u.ID}); err != nil {
			return err
		}
		token, hash := secure.NewToken()
		mm.Token, mm.Expires = token, s.now().Add(SetupLinkTTL)
		return tx.Model(&Membership{}).Where("id = ?", m.ID).Updates(map[string]any{"invite_token_hash": hash, "invite_expires_at": mm.Expires}).Error
	})
	return &mm, err
}

// CommitteeNoticeMail is what the worker needs for a committee-change notice.
type CommitteeNoticeMail struct {
	Key       string
	Notice    *MemberNotice
	Party     *Party
	Recipient *User
	// RecipientName is the recipient's name in the party.
	RecipientName string
}

// ClaimCommitteeNotice claims a committee-change notice; a recipient who is
// no longer an active member gets nothing.
func (s *Store) ClaimCommitteeNotice(ctx context.Context, noticeID string) (*CommitteeNoticeMail, error) {
	var nm CommitteeNoticeMail
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n MemberNotice
		if err := tx.Take(&n, "id = ?", noticeID).Error; err != nil {
			return notFound(err)
		}
		var m Membership
		err := tx.Take(&m, "party_id = ? AND user_id = ? AND status = ?", n.PartyID, n.RecipientID, MemberActive).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrNotDue
		}
		if err != nil {
			return err
		}
		var u User
		if err := tx.Take(&u, "id = ?", n.RecipientID).Error; err != nil {
			return notFound(err)
		}
		var p Party
		if err := tx.Take(&p, "id = ?", n.PartyID).Error; err != nil {
			return notFound(err)
		}
		nm = CommitteeNoticeMail{Key: DeliveryKey(MailMemberNotice, n.ID), Notice: &n, Party: &p, Recipient: &u, RecipientName: m.Name}
		return s.claim(tx, Delivery{Key: nm.Key, Kind: MailMemberNotice, UserID: &u.ID})
	})
	return &nm, err
}

// MembershipLink is what the acceptance page shows about its link.
type MembershipLink struct {
	Party, Role, Name string
	NeedsPassword     bool
}

// PeekMembership reads the invitation behind an acceptance link without
// using it; a used or expired link is ErrGone.
func (s *Store) PeekMembership(ctx context.Context, token string) (*MembershipLink, error) {
	db := s.db.WithContext(ctx)
	var m Membership
	if err := db.Take(&m, "invite_token_hash = ?", secure.HashToken(token)).Error; err != nil {
		return nil, notFound(err)
	}
	if m.Status != MemberInvited || m.InviteExpiresAt == nil || !m.InviteExpiresAt.After(s.now()) {
		return nil, ErrGone
	}
	var u User
	if err := db.Select("id", "password_hash").Take(&u, "id = ?", m.UserID).Error; err != nil {
		return nil, notFound(err)
	}
	var p Party
	if err := db.Select("id", "name").Take(&p, "id = ?", m.PartyID).Error; err != nil {
		return nil, notFound(err)
	}
	return &MembershipLink{Party: p.Name, Role: m.Role, Name: m.Name, NeedsPassword: u.PasswordHash == nil}, nil
}
