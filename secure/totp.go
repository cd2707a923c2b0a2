package secure

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTPIssuer names Weerbaar in authenticator apps.
const TOTPIssuer = "Weerbaar"

// NewTOTP creates a TOTP secret for an account, with its otpauth URL and
// a QR code as PNG for enrolment.
func NewTOTP(account string) (secret, url string, qr []byte, err error) {
	return totpKey(account, nil)
}

// TOTPEnrolment rebuilds the otpauth URL and QR code of an existing
// (unconfirmed) secret, so that showing the enrolment again keeps it.
func TOTPEnrolment(account, secret string) (url string, qr []byte, err error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		return "", nil, err
	}
	_, url, qr, err = totpKey(account, raw)
	return url, qr, err
}

func totpKey(account string, raw []byte) (secret, url string, qr []byte, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: account, Algorithm: otp.AlgorithmSHA1, Digits: otp.DigitsSix, Period: 30, Secret: raw})
	if err != nil {
		return "", "", nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return "", "", nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", "", nil, err
	}
	return key.Secret(), key.URL(), buf.Bytes(), nil
}

// TOTPStep checks a code against the secret at now (one 30-second step of
// clock skew either way) and returns the time step it matched, so that a
// used code can be refused the second time; 0 means no match.
func TOTPStep(secret, code string, now time.Time) int64 {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0
	}
	for _, skew := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(skew*30) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err == nil && want == code {
			return t.Unix() / 30
		}
	}
	return 0
}

// TOTPCode is the current code for a secret (tests and the demo).
func TOTPCode(secret string, now time.Time) string {
	c, _ := totp.GenerateCode(secret, now)
	return c
}

// NewRecoveryCodes returns n single-use codes (shown once) and their hashes.
func NewRecoveryCodes(n int) (codes, hashes []string) {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	for i := 0; i < n; i++ {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			panic("secure: crypto/rand failed: " + err.Error())
		}
		for j := range b {
			b[j] = alphabet[int(b[j])%len(alphabet)]
		}
		code := string(b[:5]) + "-" + string(b[5:])
		codes = append(codes, code)
		hashes = append(hashes, RecoveryHash(code))
	}
	return codes, hashes
}

// RecoveryHash normalises and hashes a recovery code.
func RecoveryHash(code string) string {
	c := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(code), " ", ""))
	sum := sha256.Sum256([]byte("weerbaar-recovery:" + c))
	return hex.EncodeToString(sum[:])
}

// SealSecret encrypts a small platform secret (a TOTP seed) directly under
// the master key.
func (k *Keyring) SealSecret(plaintext []byte, aad string) ([]byte, error) {
	return k.wrap(plaintext, []byte(SecretAAD(aad)))
}

// OpenSecret decrypts what SealSecret produced.
func (k *Keyring) OpenSecret(ciphertext []byte, aad string) ([]byte, error) {
	return k.unwrap(ciphertext, []byte(SecretAAD(aad)))
}

// SecretAAD is the binding of a sealed secret.
func SecretAAD(name string) string { return "secret:" + name }
