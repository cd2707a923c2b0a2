package models

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/weerbaar/weerbaar/secure"
)

// Platform secrets: random keys kept in the key store (outside the main
// database), wrapped by the master key. A copy of the main database alone
// holds none of them.
const (
	secretAudit  = "audit-chain" // HMAC key of the audit chain
	secretLookup = "lookup"      // HMAC key of candidates' e-mail lookup hashes
	secretOutbox = "outbox"      // AES key of the dev outbox
)

// secretCache holds the unwrapped secrets for the life of the process (a
// rotation re-wraps them but keeps their value).
type secretCache struct {
	mu   sync.Mutex
	vals map[string][]byte
}

func secretAADName(name string) string { return "keystore:" + name }

// secret returns a platform secret, creating it on first use; created says
// whether this call made it. Without a key store it is derived from the
// master key.
func (s *Store) secret(ctx context.Context, name string) (val []byte, created bool, err error) {
	s.sec.mu.Lock()
	defer s.sec.mu.Unlock()
	if v, ok := s.sec.vals[name]; ok {
		return v, false, nil
	}
	if s.keystore == nil {
		v := s.keys.Derive(name)
		s.sec.vals[name] = v
		return v, false, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	wrapped, err := s.keystore.Secret(ctx, name)
	if errors.Is(err, ErrNotFound) {
		if created, err = s.addSecret(ctx, name); err != nil {
			return nil, false, err
		}
		wrapped, err = s.keystore.Secret(ctx, name)
	}
	if err != nil {
		return nil, false, fmt.Errorf("key store secret %s: %w", name, err)
	}
	v, err := s.keys.OpenSecret(wrapped, secretAADName(name))
	if err != nil {
		return nil, false, fmt.Errorf("key store secret %s: %w", name, err)
	}
	s.sec.vals[name] = v
	return v, created, nil
}

// addSecret stores a fresh random secret unless another process was first.
func (s *Store) addSecret(ctx context.Context, name string) (bool, error) {
	fresh := make([]byte, secure.KeySize)
	if _, err := rand.Read(fresh); err != nil {
		return false, err
	}
	w, err := s.keys.SealSecret(fresh, secretAADName(name))
	if err != nil {
		return false, err
	}
	return s.keystore.AddSecret(ctx, name, w)
}

// rotateSecrets re-wraps the key store's secrets under the current master key.
func (s *Store) rotateSecrets(ctx context.Context) (int, error) {
	if s.keystore == nil {
		return 0, nil
	}
	ss, err := s.keystore.Secrets(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sec := range ss {
		if s.keys.IsCurrent(sec.Wrapped) {
			continue
		}
		re, err := s.keys.Rewrap(sec.Wrapped, secure.SecretAAD(secretAADName(sec.Name)))
		if err != nil {
			return n, fmt.Errorf("secret %s: %w", sec.Name, err)
		}
		ok, err := s.keystore.ReplaceSecret(ctx, sec.Name, sec.Wrapped, re)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}
