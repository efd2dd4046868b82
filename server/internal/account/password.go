package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the cost parameters of argon2id.
type Argon2Params struct {
	// Memory is in KiB.
	Memory  uint32
	Time    uint32
	Threads uint8
}

// DefaultArgon2 follows OWASP's password storage recommendation for argon2id (m=46 MiB, t=1, p=1):
// about 50 ms per hash on one core of a small server.
var DefaultArgon2 = Argon2Params{Memory: 46 * 1024, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// maxMemory bounds the memory cost read back from a stored hash (1 GiB).
	maxMemory = 1 << 20
)

// Hasher hashes and verifies passwords with argon2id, in the PHC string format
// ($argon2id$v=19$m=47104,t=1,p=1$<salt>$<hash>, unpadded standard base64), so parameters can change
// later without invalidating stored hashes. At most one hash per CPU runs at a time, which bounds the
// memory a burst of sign-ins can take.
type Hasher struct {
	params Argon2Params
	slots  chan struct{}

	dummyOnce sync.Once
	dummy     string
}

// NewHasher returns a Hasher with the given parameters.
func NewHasher(p Argon2Params) *Hasher {
	return &Hasher{params: p, slots: make(chan struct{}, max(runtime.NumCPU(), 2))}
}

// Hash returns the PHC string of password with a fresh random salt.
func (h *Hasher) Hash(password string) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // never fails on supported platforms
	key := h.key([]byte(password), salt, h.params, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.Memory, h.params.Time, h.params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Verify reports whether password matches encoded, comparing in constant time, and whether encoded
// was made with other parameters than the Hasher's (so it should be replaced by a new Hash).
func (h *Hasher) Verify(password, encoded string) (ok, stale bool, err error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := h.key([]byte(password), salt, p, uint32(len(want))) //nolint:gosec // len(want) is at most a few hundred
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, p != h.params || len(salt) != saltLen || len(want) != keyLen, nil
}

// Waste spends the time and memory of one verification, so a sign-in for an unknown e-mail takes as
// long as one with a wrong password and does not reveal which addresses have accounts.
func (h *Hasher) Waste(password string) {
	h.dummyOnce.Do(func() { h.dummy = h.Hash("logister-dummy-password") })
	_, _, _ = h.Verify(password, h.dummy)
}

func (h *Hasher) key(password, salt []byte, p Argon2Params, n uint32) []byte {
	h.slots <- struct{}{}
	defer func() { <-h.slots }()
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, n)
}

var errBadHash = errors.New("account: stored password hash is not an argon2id PHC string")

func parsePHC(encoded string) (p Argon2Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Memory > maxMemory || p.Time == 0 || p.Time > 100 || p.Threads == 0 {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 512 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}
