package models

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/secure"
)

// CandidateLink is a link to the candidate's file other than the
// invitation: the hearing notice's, the reopen notice's, or one the
// candidate asked for by e-mail address. It lives beside the invitation so
// that sending it changes nothing the board sees.
type CandidateLink struct {
	ID          string
	CandidateID string
	Purpose     string
	TokenHash   *string
	ExpiresAt   *time.Time
	CreatedAt   time.Time
}

func (CandidateLink) TableName() string { return "candidate_links" }

// Link purposes.
const (
	LinkHearing = "hearing"
	LinkReopen  = "reopen"
	LinkAccess  = "access"
	LinkRetired = "retired" // an invitation link that died on submit (answers 410)
)

// AccessLinkTTL is how long a link asked for on /link-aanvragen works (and
// how long a request may wait for its mail).
const AccessLinkTTL = time.Hour

// linkStates are the files such a link opens: the candidate's own file
// after the invitation link died (submitted), to export, withdraw, reply
// or read the outcome, and a reopened file. Never a file that was revoked
// or expired, nor one that was never accepted.
var linkStates = []Status{StatusInProgress, StatusSubmitted, StatusProfiled, StatusDecided, StatusWithdrawn}

// anonymousActor is whoever asked for a link by address (not yet proven).
var anonymousActor = Actor{ID: "anoniem", Role: "anoniem"}

// CandidatesByEmail is the one lookup of candidate files by e-mail address
// (every party, every round).
func (s *Store) CandidatesByEmail(ctx context.Context, email string) ([]Candidate, error) {
	hash, err := s.EmailHash(ctx, email)
	if err != nil {
		return nil, err
	}
	var cs []Candidate
	if err := s.db.WithContext(ctx).Omit("reopen_message", "network").Where("email_hash = ?", hash).Order("created_at").Find(&cs).Error; err != nil {
		return nil, err
	}
	return s.openCandidates(ctx, cs)
}

// RequestLinks records a request for a new link to every file of the
// address that such a link may open, each with its mail as an outbox task,
// and returns the link ids. An unknown address gives no ids and no error:
// the caller answers the same either way.
func (s *Store) RequestLinks(ctx context.Context, email string) ([]string, error) {
	cs, err := s.CandidatesByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	var ids []string
	for i := range cs {
		c := &cs[i]
		if !slices.Contains(linkStates, c.Status) {
			continue
		}
		l := CandidateLink{ID: newID(), CandidateID: c.ID, Purpose: LinkAccess, CreatedAt: s.now()}
		err := s.tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Create(&l).Error; err != nil {
				return err
			}
			if err := s.addTasks(tx, mailTask(MailPayload{Kind: MailLink, LinkID: l.ID})); err != nil {
				return err
			}
			return s.audit(tx, c.PartyID, &c.ID, anonymousActor, "link.request")
		})
		if err != nil {
			return nil, err
		}
		ids = append(ids, l.ID)
	}
	return ids, nil
}

// newLink gives the candidate of mc a new link of a purpose (replacing
// older links of that purpose) and puts its token in mc; only the hash is
// stored. The invitation fields stay as they are.
func (s *Store) newLink(tx *gorm.DB, mc *MailContext, purpose string, expires time.Time) error {
	if err := tx.Where("candidate_id = ? AND purpose = ?", mc.Candidate.ID, purpose).Delete(&CandidateLink{}).Error; err != nil {
		return err
	}
	token, hash := secure.NewToken()
	l := CandidateLink{ID: newID(), CandidateID: mc.Candidate.ID, Purpose: purpose, TokenHash: &hash, ExpiresAt: &expires, CreatedAt: s.now()}
	if err := tx.Create(&l).Error; err != nil {
		return err
	}
	mc.Token, mc.Expires = token, expires
	return nil
}

// ClaimLinkMail claims the mail of a requested link and creates its token
// now, at send time.
func (s *Store) ClaimLinkMail(ctx context.Context, linkID string) (*MailContext, error) {
	var mc *MailContext
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var l CandidateLink
		if err := tx.Take(&l, "id = ? AND purpose = ?", linkID, LinkAccess).Error; err != nil {
			return notFound(err)
		}
		now := s.now()
		if now.Sub(l.CreatedAt) > AccessLinkTTL {
			return ErrNotDue // asked for too long ago
		}
		var err error
		if mc, err = s.loadMailContext(tx, l.CandidateID); err != nil {
			return err
		}
		if !slices.Contains(linkStates, mc.Candidate.Status) {
			return ErrNotDue
		}
		mc.Key = DeliveryKey(MailLink, l.ID)
		if err := s.claim(tx, Delivery{Key: mc.Key, Kind: MailLink, CandidateID: &l.CandidateID}); err != nil {
			return err
		}
		token, hash := secure.NewToken()
		exp := now.Add(AccessLinkTTL)
		if err := tx.Model(&CandidateLink{}).Where("id = ?", l.ID).Updates(map[string]any{"token_hash": hash, "expires_at": exp}).Error; err != nil {
			return err
		}
		mc.Token, mc.Expires = token, exp
		return nil
	})
	return mc, err
}

// ClaimReopenNotice claims the mail that tells a candidate the committee
// sent the file back (seq is the revision reopened), with a link that
// works until the round deadline. A file that is back with the candidate
// (reopen message set) and whose reopen was not announced since the last
// submission is due, whatever its revision now: a VOG change raises the
// revision of a reopened file, and its mail must still go out once.
func (s *Store) ClaimReopenNotice(ctx context.Context, candidateID string, seq int) (*MailContext, error) {
	var mc *MailContext
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if mc, err = s.loadMailContext(tx, candidateID); err != nil {
			return err
		}
		c := mc.Candidate
		if c.Status != StatusInProgress || c.ReopenMessage == nil || c.SubmittedAt == nil {
			return ErrNotDue
		}
		mc.Key = DeliveryKey(MailReopen, c.ID, seq)
		var n int64
		if err := tx.Model(&Delivery{}).Where("candidate_id = ? AND kind = ? AND key <> ? AND created_at >= ? AND status IN ?",
			c.ID, MailReopen, mc.Key, c.SubmittedAt, []string{DeliverySent, DeliverySending}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrNotDue // this reopen was announced already (under an older revision)
		}
		if err := s.claim(tx, Delivery{Key: mc.Key, Kind: MailReopen, Seq: seq, CandidateID: &c.ID}); err != nil {
			return err
		}
		now := s.now()
		exp := now.Add(InvitationTTL)
		if mc.Round.Deadline.After(now) && mc.Round.Deadline.Before(exp) {
			exp = mc.Round.Deadline
		}
		return s.newLink(tx, mc, LinkReopen, exp)
	})
	return mc, err
}

// LinkInvitation is LinkPurpose's answer for an invitation link.
const LinkInvitation = "invitation"

// LinkPurpose says what a /uitnodiging/ token is for, without using it
// (the landing page words itself by it): LinkInvitation, one of the Link*
// purposes, or "" for a token it does not know.
func (s *Store) LinkPurpose(ctx context.Context, token string) (string, error) {
	hash := secure.HashToken(token)
	db := s.db.WithContext(ctx)
	var n int64
	if err := db.Model(&Candidate{}).Where("invite_token_hash = ?", hash).Count(&n).Error; err != nil {
		return "", err
	}
	if n > 0 {
		return LinkInvitation, nil
	}
	var l CandidateLink
	err := db.Select("purpose").Take(&l, "token_hash = ?", hash).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	return l.Purpose, err
}

// acceptLink opens the file behind a link that is not the invitation.
func (s *Store) acceptLink(tx *gorm.DB, hash string) (*Candidate, error) {
	var l CandidateLink
	if err := tx.Take(&l, "token_hash = ?", hash).Error; err != nil {
		return nil, notFound(err)
	}
	if l.ExpiresAt == nil || !l.ExpiresAt.After(s.now()) {
		return nil, ErrGone
	}
	c, err := lockCandidate(tx, l.CandidateID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(linkStates, c.Status) {
		return nil, ErrGone
	}
	return c, s.audit(tx, c.PartyID, &c.ID, Actor{ID: c.ID, Role: RoleKandidaat}, "link.open")
}
