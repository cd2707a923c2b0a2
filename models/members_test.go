package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/weerbaar/weerbaar/models"
)

// TestMembershipAcrossParties: a person's password chosen through one
// party's link is no acceptance of another party's membership; a rejected
// proposal takes an account made only for it along.
func TestMembershipAcrossParties(t *testing.T) {
	st, _, _ := newStore(t)
	ctx := context.Background()
	op := models.Actor{ID: "cli", Role: models.RoleAdmin}
	a, err := st.CreateParty(ctx, op, "A")
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.CreateParty(ctx, op, "B")
	if err != nil {
		t.Fatal(err)
	}
	pw := "wachtwoord-van-test-1"
	c1, _, err := st.AddMember(ctx, op, a.ID, "c1@t.nl", "Cor", models.RoleCommissie, &pw)
	if err != nil {
		t.Fatal(err)
	}
	board, _, err := st.AddMember(ctx, op, a.ID, "b@t.nl", "Bea", models.RoleBestuur, &pw)
	if err != nil {
		t.Fatal(err)
	}
	com := models.Actor{ID: c1.ID, Role: models.RoleCommissie}

	// A's board proposes x: an account is made, no mail is due.
	ch, err := st.ProposeMember(ctx, models.Actor{ID: board.ID, Role: models.RoleBestuur}, a.ID, models.NewMember{Email: "x@t.nl", Name: "X", Role: models.RoleCommissie})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Row.Status != models.MemberPending || ch.SetupSeq != 0 || ch.InviteSeq != 0 || ch.Row.MailKey != "" {
		t.Fatalf("proposal: %+v", ch)
	}
	// B invites the same address and x accepts B, choosing a password.
	_, mb, err := st.AddMember(ctx, op, b.ID, "x@t.nl", "X bij B", models.RoleBestuur, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mb.Status != models.MemberInvited || mb.InviteSeq != 1 {
		t.Fatalf("existing account in B: %+v", mb)
	}
	mm, err := st.ClaimMembershipInvite(ctx, mb.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !mm.NeedsPassword {
		t.Fatal("an account without a password is not asked for one")
	}
	if _, _, err := st.AcceptMembership(ctx, mm.Token, nil); err == nil {
		t.Fatal("accepted without the password the account needs")
	}
	if _, _, err := st.AcceptMembership(ctx, mm.Token, &pw); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.AcceptMembership(ctx, mm.Token, &pw); !errors.Is(err, models.ErrGone) {
		t.Fatalf("second use: %v, want ErrGone", err)
	}
	// A's committee confirms: x still has to accept A by mail.
	ch, err = st.ConfirmMember(ctx, com, a.ID, ch.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Row.Status != models.MemberInvited || ch.InviteSeq != 1 || ch.SetupSeq != 0 {
		t.Fatalf("confirmed after the person chose a password elsewhere: %+v", ch)
	}
	if role, err := st.MemberRole(ctx, ch.UserID, a.ID); err != nil || role != "" {
		t.Fatalf("role in A before accepting: %q %v", role, err)
	}

	// A rejected proposal deletes the account made for it.
	ch, err = st.ProposeMember(ctx, com, a.ID, models.NewMember{Email: "y@t.nl", Name: "Y", Role: models.RoleCommissie})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ConfirmMember(ctx, com, a.ID, ch.UserID); !errors.Is(err, models.ErrOwnMemberProposal) {
		t.Fatalf("own proposal confirmed: %v", err)
	}
	if _, err := st.RejectMember(ctx, com, a.ID, ch.UserID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UserByEmail(ctx, "y@t.nl"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("account of a rejected proposal: %v", err)
	}
}
