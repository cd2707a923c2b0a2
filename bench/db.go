package main

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// dbCounter runs the benchmark's own read-only queries.
type dbCounter struct{ db *gorm.DB }

func (d dbCounter) count(ctx context.Context, table, where string, args ...any) (int64, error) {
	var n int64
	q := "SELECT count(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	err := d.db.WithContext(ctx).Raw(q, args...).Scan(&n).Error
	return n, err
}

func (d dbCounter) ids(ctx context.Context, q string, args ...any) ([]string, error) {
	var ids []string
	err := d.db.WithContext(ctx).Raw(q, args...).Scan(&ids).Error
	return ids, err
}

func (d dbCounter) bigParty(ctx context.Context) (party, round, board, committee string, err error) {
	db := d.db.WithContext(ctx)
	if err = db.Raw("SELECT id FROM parties WHERE name = ?", seedPartyPrefix+" 000").Scan(&party).Error; err != nil {
		return
	}
	if party == "" {
		err = fmt.Errorf("no %s 000 in the database: not a benchmark data set", seedPartyPrefix)
		return
	}
	if err = db.Raw("SELECT id FROM rounds WHERE party_id = ? ORDER BY created_at LIMIT 1", party).Scan(&round).Error; err != nil {
		return
	}
	if err = db.Raw("SELECT user_id FROM memberships WHERE party_id = ? AND role = 'bestuur' LIMIT 1", party).Scan(&board).Error; err != nil {
		return
	}
	err = db.Raw("SELECT user_id FROM memberships WHERE party_id = ? AND role = 'commissie' ORDER BY user_id LIMIT 1", party).Scan(&committee).Error
	return
}

// latencies returns, for candidates, profiles.compiled_at − submitted_at
// of their first profile; pending counts those without one yet.
func (d dbCounter) submitLatencies(ctx context.Context, ids []string) (lat []time.Duration, pending int, err error) {
	type row struct {
		ID          string
		SubmittedAt *time.Time
		CompiledAt  *time.Time
	}
	var rows []row
	for from := 0; from < len(ids); from += 500 {
		var part []row
		err = d.db.WithContext(ctx).Raw(`SELECT c.id, c.submitted_at, p.compiled_at
			FROM candidates c JOIN profiles p ON p.candidate_id = c.id WHERE c.id IN ?`, ids[from:min(from+500, len(ids))]).Scan(&part).Error
		if err != nil {
			return nil, 0, err
		}
		rows = append(rows, part...)
	}
	first := map[string]time.Duration{}
	for _, r := range rows {
		if r.SubmittedAt == nil || r.CompiledAt == nil {
			continue
		}
		if d, ok := first[r.ID]; !ok || r.CompiledAt.Sub(*r.SubmittedAt) < d {
			first[r.ID] = r.CompiledAt.Sub(*r.SubmittedAt)
		}
	}
	for _, d := range first {
		lat = append(lat, d)
	}
	pending = len(ids) - len(first)
	return lat, pending, nil
}
