package worker

import "github.com/alicebob/miniredis/v2"

// StartEmbeddedRedis runs an in-process Redis for all-in-one mode. It keeps
// nothing on disk: the outbox relay rebuilds the queue from the database after
// a restart.
func StartEmbeddedRedis() (*miniredis.Miniredis, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, err
	}
	return m, nil
}
