package models

// Row locks (issue 12, item 3). PostgreSQL runs each transaction at READ
// COMMITTED with many connections, so a state read and the write that
// depends on it must hold the row in between; SQLite runs one immediate
// transaction at a time (see Open), where glebarez/sqlite drops the locking
// clause and the same code is just as correct.
//
// Lock order, so that two transactions never wait for each other:
//
//  1. candidate rows (lockCandidate; several at once in id order,
//     lockCandidates), or the party row first for member changes
//     (lockParty), which lock no candidate row;
//  2. the rows that belong to the file (decisions, hearings, VOG, recusals,
//     links, deliveries);
//  3. the party row last: audit() takes it with the event.
//
// A candidate is locked FOR NO KEY UPDATE, not FOR UPDATE: it serialises
// every transition of the file just the same (the two conflict with each
// other), but it does not block the foreign-key checks (FOR KEY SHARE) of
// rows that other transactions insert for the candidate (a note, a session,
// a delivery, a recusal on a linked file), which would otherwise wait for
// the file's transition, and deadlock when they hold the party row
// already. Only a delete takes FOR UPDATE (DeleteCandidate).

import (
	"errors"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// rowLock holds a row until commit against every other writer of it.
var rowLock = clause.Locking{Strength: "NO KEY UPDATE"}

// lockCandidates locks the rows of these candidates in id order (the order
// every multi-file transaction uses) and returns the ids that exist.
func lockCandidates(tx *gorm.DB, ids []string, strength clause.Locking) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	var got []string
	err := tx.Model(&Candidate{}).Clauses(strength).Where("id IN ?", slices.Compact(ids)).Order("id").Pluck("id", &got).Error
	return got, err
}

// notRecused refuses a committee member who recused from the candidate,
// checked under the candidate's lock (Recuse takes the same lock), so a
// recusal made at the same moment as the action either comes first and
// refuses it, or comes after and finds what the action left.
func notRecused(tx *gorm.DB, candidateID string, actor Actor) error {
	if actor.Role != RoleCommissie {
		return nil
	}
	var n int64
	if err := tx.Model(&Recusal{}).Where("candidate_id = ? AND user_id = ?", candidateID, actor.ID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return ErrNotFound // the file is 404 for them from then on
	}
	return nil
}

// duplicate tells a unique-index violation (gorm translates both
// dialects' errors, see Open's TranslateError).
func duplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }
