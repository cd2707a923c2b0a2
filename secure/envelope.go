package secure

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of master and data keys (AES-256).
const KeySize = 32

// ErrDecrypt is returned when ciphertext does not authenticate (wrong key,
// tampered data, or a shredded key).
var ErrDecrypt = errors.New("secure: decryption failed")

// Keyring wraps and unwraps per-candidate data keys with the master key.
// It also knows previous master keys, so that data keys wrapped under
// them stay readable while `weerbaar keys rotate` re-wraps them.
type Keyring struct {
	master   cipher.AEAD // the current master key: everything new uses it
	current  [8]byte
	byID     map[[8]byte]cipher.AEAD
	indexKey []byte // HMAC key for search indexes, derived from the master key
}

// wrapVersion marks the wrapped format: version, master key id, sealed key.
const wrapVersion = 1

// KeyID identifies a master key without revealing it.
func KeyID(master []byte) [8]byte {
	sum := sha256.Sum256(append([]byte("weerbaar-master-key-id:"), master...))
	var id [8]byte
	copy(id[:], sum[:8])
	return id
}

// NewKeyring builds a keyring from the current 32-byte master key and any
// previous ones.
func NewKeyring(master []byte, previous ...[]byte) (*Keyring, error) {
	k := &Keyring{byID: map[[8]byte]cipher.AEAD{}}
	for i, m := range append([][]byte{master}, previous...) {
		if len(m) != KeySize {
			return nil, fmt.Errorf("secure: master key must be %d bytes, got %d", KeySize, len(m))
		}
		aead, err := newAEAD(m)
		if err != nil {
			return nil, err
		}
		id := KeyID(m)
		k.byID[id] = aead
		if i == 0 {
			k.master, k.current = aead, id
			mac := hmac.New(sha256.New, m)
			mac.Write([]byte("weerbaar-index-key"))
			k.indexKey = mac.Sum(nil)
		}
	}
	return k, nil
}

// wrap seals under the current master key with the key id in front.
func (k *Keyring) wrap(plaintext, aad []byte) ([]byte, error) {
	ct, err := seal(k.master, plaintext, aad)
	if err != nil {
		return nil, err
	}
	return append(append([]byte{wrapVersion}, k.current[:]...), ct...), nil
}

// unwrap opens with whichever known master key the blob names.
func (k *Keyring) unwrap(wrapped, aad []byte) ([]byte, error) {
	if len(wrapped) < 9 || wrapped[0] != wrapVersion {
		return nil, ErrDecrypt
	}
	var id [8]byte
	copy(id[:], wrapped[1:9])
	aead, ok := k.byID[id]
	if !ok {
		return nil, ErrUnknownMasterKey
	}
	return open(aead, wrapped[9:], aad)
}

// IndexMAC is a keyed hash for search indexes: equal inputs give equal
// hashes, but nobody without the master key can test a guess.
func (k *Keyring) IndexMAC(data string) string {
	mac := hmac.New(sha256.New, k.indexKey)
	mac.Write([]byte(data))
	return hex.EncodeToString(mac.Sum(nil))
}

// ErrUnknownMasterKey: the blob was wrapped under a master key this
// keyring does not know (set it as a previous key during rotation).
var ErrUnknownMasterKey = errors.New("secure: wrapped under an unknown master key")

// IsCurrent reports whether a wrapped blob uses the current master key.
func (k *Keyring) IsCurrent(wrapped []byte) bool {
	return len(wrapped) >= 9 && wrapped[0] == wrapVersion && [8]byte(wrapped[1:9]) == k.current
}

// ParseMasterKey decodes WEERBAAR_MASTER_KEY (standard base64 of 32 bytes).
func ParseMasterKey(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("master key is not valid base64: %w", err)
	}
	if len(b) != KeySize {
		return nil, fmt.Errorf("master key must decode to %d bytes, got %d", KeySize, len(b))
	}
	return b, nil
}

// LoadOrCreateMasterKey reads path, or creates it (mode 0600) with a fresh
// key. created reports whether a new key was written.
func LoadOrCreateMasterKey(path string) (key []byte, created bool, err error) {
	data, err := os.ReadFile(path)
	if err == nil {
		k, err := ParseMasterKey(string(data))
		return k, false, err
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		return nil, false, err
	}
	return key, true, f.Sync()
}

// NewDataKey returns a fresh data key and its wrapped form for storage.
func (k *Keyring) NewDataKey(owner string) (key, wrapped []byte, err error) {
	key = make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, nil, err
	}
	wrapped, err = k.wrap(key, []byte("datakey:"+owner))
	return key, wrapped, err
}

// Rewrap re-wraps a data key (or secret) under the current master key.
func (k *Keyring) Rewrap(wrapped []byte, aad string) ([]byte, error) {
	pt, err := k.unwrap(wrapped, []byte(aad))
	if err != nil {
		return nil, err
	}
	return k.wrap(pt, []byte(aad))
}

// DataKeyAAD is the binding of a data key to its candidate.
func DataKeyAAD(owner string) string { return "datakey:" + owner }

// Unwrap recovers a data key. owner binds the key to its candidate, so a
// wrapped key copied onto another row does not open.
func (k *Keyring) Unwrap(owner string, wrapped []byte) ([]byte, error) {
	return k.unwrap(wrapped, []byte("datakey:"+owner))
}

// Cipher encrypts the fields of one candidate with its data key.
type Cipher struct{ aead cipher.AEAD }

// NewCipher wraps a data key.
func NewCipher(dataKey []byte) (*Cipher, error) {
	aead, err := newAEAD(dataKey)
	if err != nil {
		return nil, err
	}
	return &Cipher{aead: aead}, nil
}

// Seal encrypts plaintext; aad names the field so ciphertexts cannot be swapped.
func (c *Cipher) Seal(plaintext []byte, aad string) ([]byte, error) {
	return seal(c.aead, plaintext, []byte(aad))
}

// Open decrypts what Seal produced with the same aad.
func (c *Cipher) Open(ciphertext []byte, aad string) ([]byte, error) {
	return open(c.aead, ciphertext, []byte(aad))
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(aead cipher.AEAD, plaintext, aad []byte) ([]byte, error) {
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plaintext, aad), nil
}

func open(aead cipher.AEAD, ciphertext, aad []byte) ([]byte, error) {
	ns := aead.NonceSize()
	if len(ciphertext) < ns+aead.Overhead() {
		return nil, ErrDecrypt
	}
	out, err := aead.Open(nil, ciphertext[:ns], ciphertext[ns:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return out, nil
}

// Derive is a key for one purpose derived from the current master key.
// It changes with the master key: only for stores without a key store
// (tests), where nothing outlives a rotation.
func (k *Keyring) Derive(purpose string) []byte {
	mac := hmac.New(sha256.New, k.indexKey)
	mac.Write([]byte("weerbaar-derive:" + purpose))
	return mac.Sum(nil)
}
