package models_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/models"
)

// TestReopenNoticeSurvivesVOGChange: the reopen mail's task names the
// revision that was reopened; a VOG change on the reopened file raises the
// revision before the mail goes out (or between SMTP retries). The claim
// answered "not due", the task was done, and the candidate never heard
// that the file was back (found in the review of the outbox change).
func TestReopenNoticeSurvivesVOGChange(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 2)
		ctx := context.Background()
		c := f.cand(t)
		if err := st.Reopen(ctx, f.members[0], c, "Vul vraag F4 aan."); err != nil {
			t.Fatal(err)
		}
		seq := f.cand(t).Revision
		issued := "2026-01-05"
		if _, _, err := st.SetVOG(ctx, f.members[0], f.cand(t), models.VOGInput{Status: "klaargezet", KlaargezetOn: &issued}); err != nil {
			t.Fatal(err)
		}
		if f.cand(t).Revision == seq {
			t.Fatal("the VOG change did not raise the revision: the test no longer tests the case")
		}
		mc, err := st.ClaimReopenNotice(ctx, c.ID, seq)
		if errors.Is(err, models.ErrNotDue) {
			t.Fatal("reopen notice not due after a VOG change: the candidate is never told the file is back")
		}
		if err != nil {
			t.Fatal(err)
		}
		if mc.Token == "" {
			t.Fatal("the reopen notice carries no link")
		}
		// Once sent, a second claim (a retry after the send, or another
		// reopen task of the same reopen) does not mail again.
		if err := st.FinishDelivery(ctx, mc.Key, nil, true); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ClaimReopenNotice(ctx, c.ID, seq+1); !errors.Is(err, models.ErrNotDue) {
			t.Fatalf("second notice of one reopen: %v, want ErrNotDue", err)
		}
	})
}

// TestNoHearingReplyAfterWithdrawal: the candidate's session outlives a
// withdrawal; the reply to an open hearing was still taken (found in the
// same review). A withdrawn file takes no reply.
func TestNoHearingReplyAfterWithdrawal(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 2)
		ctx := context.Background()
		prof, _, err := st.Profile(ctx, f.cand(t))
		if err != nil || len(prof.Flags) == 0 {
			t.Fatalf("profile without flags: %v", err)
		}
		if _, err := st.OpenHearing(ctx, f.members[0], f.cand(t), []string{prof.Flags[0].Rule}, "Licht dit toe."); err != nil {
			t.Fatal(err)
		}
		session := f.cand(t) // the candidate's copy, as the session holds it
		if err := st.Withdraw(ctx, f.cand(t)); err != nil {
			t.Fatal(err)
		}
		_, err = st.ReplyHearing(ctx, session, "Toch nog een reactie.")
		var te *models.TransitionError
		if !errors.As(err, &te) {
			t.Fatalf("reply after withdrawal: %v, want a TransitionError", err)
		}
	})
}

// TestNoNoteAfterRecusal: a member who recused in another tab could still
// add a note through a request the guard had let in (AddNote checked
// nothing under the file's lock).
func TestNoNoteAfterRecusal(t *testing.T) {
	dialects(t, func(t *testing.T, st *models.Store, db *gorm.DB) {
		f := newProfiled(t, st, db, 2)
		ctx := context.Background()
		page := f.cand(t) // loaded by the guard before the recusal
		if err := st.Recuse(ctx, f.members[0], f.cand(t), "Familie."); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddNote(ctx, f.members[0], page, "Nog een notitie."); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("note after recusal: %v, want ErrNotFound", err)
		}
		if _, err := st.AddNote(ctx, f.members[1], page, "Notitie van een ander lid."); err != nil {
			t.Fatalf("another member's note: %v", err)
		}
	})
}
