package secure

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash, pw string
		want           bool
	}{
		{"right", h, "correct horse battery", true},
		{"wrong", h, "correct horse batterx", false},
		{"empty", h, "", false},
		{"garbage hash", "$argon2id$nope", "x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.hash, tt.pw); got != tt.want {
				t.Fatalf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestToken(t *testing.T) {
	a, ha := NewToken()
	b, _ := NewToken()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens not unique or wrong length: %q %q", a, b)
	}
	if HashToken(a) != ha || ha == a {
		t.Fatal("hash mismatch")
	}
}

func TestEnvelope(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "master.key")
	mk, created, err := LoadOrCreateMasterKey(path)
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	mk2, created, err := LoadOrCreateMasterKey(path)
	if err != nil || created || !bytes.Equal(mk, mk2) {
		t.Fatal("reload changed key")
	}
	kr, _ := NewKeyring(mk)
	dk, wrapped, err := kr.NewDataKey("cand-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Unwrap("cand-2", wrapped); err == nil {
		t.Fatal("unwrap with other owner must fail")
	}
	dk2, err := kr.Unwrap("cand-1", wrapped)
	if err != nil || !bytes.Equal(dk, dk2) {
		t.Fatal("unwrap failed")
	}
	c, _ := NewCipher(dk)
	ct, _ := c.Seal([]byte("geheim antwoord"), "answer:N1")
	if bytes.Contains(ct, []byte("geheim")) {
		t.Fatal("plaintext visible")
	}
	if _, err := c.Open(ct, "answer:N2"); err == nil {
		t.Fatal("aad swap must fail")
	}
	pt, err := c.Open(ct, "answer:N1")
	if err != nil || string(pt) != "geheim antwoord" {
		t.Fatal("roundtrip failed")
	}
	other, _ := NewKeyring(bytes.Repeat([]byte{1}, 32))
	if _, err := other.Unwrap("cand-1", wrapped); err == nil {
		t.Fatal("other master key must not unwrap")
	}
}

func TestRotation(t *testing.T) {
	old, nw := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	k1, _ := NewKeyring(old)
	dk, wrapped, _ := k1.NewDataKey("c")
	k2, _ := NewKeyring(nw, old) // during rotation: new current, old readable
	if got, err := k2.Unwrap("c", wrapped); err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("old blob unreadable during rotation: %v", err)
	}
	if k2.IsCurrent(wrapped) {
		t.Fatal("old blob counted as current")
	}
	re, err := k2.Rewrap(wrapped, DataKeyAAD("c"))
	if err != nil || !k2.IsCurrent(re) {
		t.Fatalf("rewrap: %v", err)
	}
	k3, _ := NewKeyring(nw) // after rotation: old key gone
	if got, err := k3.Unwrap("c", re); err != nil || !bytes.Equal(got, dk) {
		t.Fatalf("rewrapped blob: %v", err)
	}
	if _, err := k3.Unwrap("c", wrapped); err == nil {
		t.Fatal("old blob readable without the old key")
	}
}
