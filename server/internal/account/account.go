// Package account is Logister's identity: users and their passwords (argon2id), sign-up with e-mail
// confirmation or by invitation, password reset and e-mail change, browser sessions, personal access
// tokens, instance administrators, and the principal that authenticated a request.
//
// Every secret it hands out (session id, access token, one-time e-mailed token) is random, shown
// once, and stored only as its SHA-256 digest. E-mails go through a Mailer in the same transaction
// as the change that causes them.
package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"time"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/mail"
)

// SignupMode says who may sign up.
type SignupMode string

// The sign-up modes (LOGISTER_SIGNUP).
const (
	// SignupOpen lets anyone sign up; they confirm their e-mail before signing in.
	SignupOpen SignupMode = "open"
	// SignupInvite lets only people an administrator invited sign up.
	SignupInvite SignupMode = "invite"
)

// Lifetimes of the one-time tokens sent by e-mail.
const (
	ConfirmationTTL = 72 * time.Hour
	// ResetTTL is the reference's 6 hours.
	ResetTTL       = 6 * time.Hour
	EmailChangeTTL = 72 * time.Hour
	InvitationTTL  = 7 * 24 * time.Hour
)

// Mailer sends e-mail. Send runs on db, the transaction of the change that causes the message, so
// a message exists exactly when the change committed. *mail.Outbox implements it.
type Mailer interface {
	Send(ctx context.Context, db bun.IDB, m mail.Message) error
}

// Options configure a Service. PublicURL is required.
type Options struct {
	// Signup is who may sign up (default SignupOpen).
	Signup SignupMode
	// AdminEmails are addresses whose users are instance administrators (LOGISTER_ADMIN_EMAILS);
	// they are normalised here.
	AdminEmails []string
	// PublicURL is the base of links in e-mails; the web app serves /confirm/<token>,
	// /reset-password/<token> and /invitations/<token>.
	PublicURL *url.URL
	// InstanceName names the instance in e-mails (default "Logister").
	InstanceName string
	// TokenPrefix starts personal access tokens: <prefix>_pat_<64 hex> (default "logister").
	TokenPrefix string
	// SessionTTL is a session's absolute lifetime (default 14 days); SessionIdleTimeout ends a session
	// unused for that long (default 3 days).
	SessionTTL, SessionIdleTimeout time.Duration
	// Argon2 are the password hashing costs (default DefaultArgon2). Tests lower them.
	Argon2 *Argon2Params
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Service runs every account flow. Its methods are safe for concurrent use.
type Service struct {
	db     bun.IDB
	mailer Mailer
	hasher *Hasher
	opts   Options
	admins map[string]bool
	now    func() time.Time
}

// NewService returns a Service on db that sends e-mail through mailer.
func NewService(db bun.IDB, mailer Mailer, opts Options) *Service {
	if opts.Signup == "" {
		opts.Signup = SignupOpen
	}
	if opts.InstanceName == "" {
		opts.InstanceName = "Logister"
	}
	if opts.TokenPrefix == "" {
		opts.TokenPrefix = "logister"
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 14 * 24 * time.Hour
	}
	if opts.SessionIdleTimeout <= 0 || opts.SessionIdleTimeout > opts.SessionTTL {
		opts.SessionIdleTimeout = min(72*time.Hour, opts.SessionTTL)
	}
	params := DefaultArgon2
	if opts.Argon2 != nil {
		params = *opts.Argon2
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	admins := make(map[string]bool, len(opts.AdminEmails))
	for _, e := range opts.AdminEmails {
		admins[NormalizeEmail(e)] = true
	}
	return &Service{db: db, mailer: mailer, hasher: NewHasher(params), opts: opts, admins: admins, now: now}
}

// WithDB returns a copy of s that runs on db, such as a caller's transaction.
func (s *Service) WithDB(db bun.IDB) *Service {
	c := *s
	c.db = db
	return &c
}

// Signup is the sign-up mode.
func (s *Service) Signup() SignupMode { return s.opts.Signup }

// ClientInfo describes the client making a request, recorded with its session.
type ClientInfo struct {
	IP        string
	UserAgent string
}

// present fills the fields of u that come from configuration rather than its row.
func (s *Service) present(u *User) *User {
	u.Admin = u.IsAdmin || s.admins[u.Email]
	return u
}

// link is an absolute URL of the web app.
func (s *Service) link(path string) string {
	return s.opts.PublicURL.String() + path
}

// runInTx runs f in a transaction (a savepoint when s already runs in one).
func (s *Service) runInTx(ctx context.Context, f func(ctx context.Context, tx bun.Tx) error) error {
	return s.db.RunInTx(ctx, nil, f)
}

// newSecret returns 32 random bytes, base64url-encoded without padding (43 characters).
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// Digest is the SHA-256 hex digest under which a secret is stored.
func Digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
