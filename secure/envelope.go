package secure

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
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
type Keyring struct {
	master cipher.AEAD
}

// NewKeyring builds a keyring from a 32-byte master key.
func NewKeyring(master []byte) (*Keyring, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("secure: master key must be %d bytes, got %d", KeySize, len(master))
	}
	aead, err := newAEAD(master)
	if err != nil {
		return nil, err
	}
	return &Keyring{master: aead}, nil
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
	wrapped, err = seal(k.master, key, []byte("datakey:"+owner))
	return key, wrapped, err
}

// Unwrap recovers a data key. owner binds the key to its candidate, so a
// wrapped key copied onto another row does not open.
func (k *Keyring) Unwrap(owner string, wrapped []byte) ([]byte, error) {
	return open(k.master, wrapped, []byte("datakey:"+owner))
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
