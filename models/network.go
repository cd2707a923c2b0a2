package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/weerbaar/weerbaar/network"
)

// OverlapWindow is how long after its deadline a round still counts as
// open for overlaps (selection goes on after the scan closes).
const OverlapWindow = 180 * 24 * time.Hour

// SaveNetwork stores a candidate's organisations (encrypted) and their
// keyed-hash index rows, replacing the previous ones.
func (s *Store) SaveNetwork(ctx context.Context, c *Candidate, orgs []network.Org) error {
	b, err := json.Marshal(orgs)
	if err != nil {
		return err
	}
	enc, err := s.seal(c, b, "network")
	if err != nil {
		return err
	}
	rows := s.networkKeys(c, orgs).list
	return s.tx(ctx, func(tx *gorm.DB) error {
		// Held until commit: two compiles at the same moment (asynq
		// delivers at least once) replace the rows one after the other,
		// and a compile of an older revision leaves the newer network be.
		cc, err := lockCandidate(tx, c.ID)
		if err != nil {
			return err
		}
		if cc.Revision != c.Revision {
			return nil // the compile of the newer revision writes its own
		}
		if err := tx.Model(&Candidate{}).Where("id = ?", c.ID).UpdateColumn("network", enc).Error; err != nil {
			return err
		}
		if err := tx.Where("candidate_id = ?", c.ID).Delete(&NetworkKey{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.Create(&rows).Error
	})
}

// Network decrypts a candidate's organisations (nil before the first compile).
func (s *Store) Network(ctx context.Context, c *Candidate) ([]network.Org, error) {
	var row Candidate
	if err := s.db.WithContext(ctx).Select("id", "network").Take(&row, "id = ?", c.ID).Error; err != nil {
		return nil, notFound(err)
	}
	if len(row.Network) == 0 {
		return nil, nil
	}
	b, err := s.open(c, row.Network, "network")
	if err != nil {
		return nil, err
	}
	var orgs []network.Org
	err = json.Unmarshal(b, &orgs)
	return orgs, err
}

// Overlaps finds the organisations a candidate shares with other
// candidates of the same party in open rounds, through the index (only the
// candidates that share a key are decrypted). hiddenFrom leaves out the
// files that viewer recused from.
func (s *Store) Overlaps(ctx context.Context, c *Candidate, hiddenFrom string) ([]network.Overlap, error) {
	mine, err := s.Network(ctx, c)
	if err != nil || len(mine) == 0 {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	open := db.Model(&Round{}).Select("id").Where("party_id = ? AND deadline > ?", c.PartyID, s.now().Add(-OverlapWindow))
	// From the candidate's own few keys through the (party_id, key_hash)
	// index to the others: EXPLAIN showed the planner otherwise walking
	// every screened file of the party's rounds.
	q := db.Model(&Candidate{}).Distinct("candidates.id").
		Joins("JOIN network_keys nk ON nk.candidate_id = candidates.id").
		Joins("JOIN network_keys mine ON mine.party_id = nk.party_id AND mine.key_hash = nk.key_hash").
		Where("mine.candidate_id = ? AND nk.party_id = ? AND candidates.id <> ?", c.ID, c.PartyID, c.ID).
		Where("candidates.round_id IN (?)", open).
		Where("candidates.status IN ?", []Status{StatusSubmitted, StatusProfiled, StatusDecided})
	if hiddenFrom != "" {
		q = q.Where("candidates.id NOT IN (?)", db.Model(&Recusal{}).Select("candidate_id").Where("user_id = ?", hiddenFrom))
	}
	var ids []string
	if err := q.Pluck("candidates.id", &ids).Error; err != nil {
		return nil, err
	}
	ix := network.NewIndex()
	ix.Put(network.Member{CandidateID: c.ID, PartyID: c.PartyID, RoundID: c.RoundID, Name: c.Name, Orgs: mine})
	var others []Candidate
	for from := 0; from < len(ids); from += 500 {
		var part []Candidate
		if err := db.Omit("reopen_message").Where("id IN ?", ids[from:min(from+500, len(ids))]).Find(&part).Error; err != nil {
			return nil, err
		}
		others = append(others, part...)
	}
	if others, err = s.openCandidates(ctx, others); err != nil {
		return nil, err
	}
	nets, err := s.networks(ctx, others)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		ix.Put(network.Member{CandidateID: o.ID, PartyID: o.PartyID, RoundID: o.RoundID, Name: o.Name, Orgs: nets[o.ID]})
	}
	return ix.Overlaps(c.ID, nil), nil
}

// networks decrypts the networks of loaded candidates (with their network
// column), fetching their data keys in one query rather than one each.
func (s *Store) networks(ctx context.Context, cs []Candidate) (map[string][]network.Org, error) {
	out := make(map[string][]network.Org, len(cs))
	var need []*Candidate
	for i := range cs {
		if len(cs[i].Network) > 0 {
			need = append(need, &cs[i])
		}
	}
	if err := s.cipherMany(ctx, need); err != nil {
		return nil, err
	}
	for _, c := range need {
		if c.ci == nil {
			continue // shredded meanwhile
		}
		b, err := c.ci.Open(c.Network, c.ID+":network")
		if err != nil {
			return nil, err
		}
		var orgs []network.Org
		if err := json.Unmarshal(b, &orgs); err != nil {
			return nil, err
		}
		out[c.ID] = orgs
	}
	return out, nil
}

// RoundNetworks loads the organisations of every screened candidate of a
// round once (for the round map and a full recomputation of overlaps);
// hiddenFrom leaves out the files that viewer recused from.
func (s *Store) RoundNetworks(ctx context.Context, roundID, hiddenFrom string) ([]network.Member, error) {
	rows, err := s.Candidates(ctx, roundID, hiddenFrom)
	if err != nil {
		return nil, err
	}
	var screened []Candidate
	for i := range rows {
		switch rows[i].Status {
		case StatusSubmitted, StatusProfiled, StatusDecided:
			screened = append(screened, rows[i].Candidate)
		}
	}
	nets, err := s.networks(ctx, screened)
	if err != nil {
		return nil, err
	}
	var out []network.Member
	for _, k := range screened {
		if orgs := nets[k.ID]; len(orgs) > 0 {
			out = append(out, network.Member{CandidateID: k.ID, PartyID: k.PartyID, RoundID: k.RoundID, Name: k.Name, Orgs: orgs})
		}
	}
	return out, nil
}

// RoundOverlaps recomputes the overlaps of every candidate in a round from
// one load of the round's networks.
func (s *Store) RoundOverlaps(ctx context.Context, roundID string) (map[string][]network.Overlap, error) {
	members, err := s.RoundNetworks(ctx, roundID, "")
	if err != nil {
		return nil, err
	}
	ix := network.NewIndex()
	for _, m := range members {
		ix.Put(m)
	}
	out := make(map[string][]network.Overlap, len(members))
	for _, m := range members {
		out[m.CandidateID] = ix.Overlaps(m.CandidateID, nil)
	}
	return out, nil
}

// ForceStatusForBench sets every candidate of a round to a status without
// the workflow (benchmarks seed large rounds this way; never used by the
// service).
func (s *Store) ForceStatusForBench(ctx context.Context, roundID string, st Status) error {
	return s.db.WithContext(ctx).Model(&Candidate{}).Where("round_id = ?", roundID).UpdateColumn("status", st).Error
}
