package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
)

func TestSignUpConfirmAndSignIn(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)

	res, err := b.svc.SignUp(ctx, account.SignUpInput{Name: " Ada ", Email: " Ada@Example.COM ", Password: password}, client)
	require.NoError(t, err)
	require.Nil(t, res.Session, "open sign-up waits for the confirmation")

	m := b.lastMail(t, "ada@example.com")
	require.Equal(t, "confirm_email", m.Kind)
	require.Equal(t, "[Acme] Confirm your e-mail address", m.Subject)
	require.Contains(t, m.Text, "Hello Ada,")
	token := tokenIn(t, m)

	_, _, err = b.svc.SignIn(ctx, "ada@example.com", password, client)
	requireCode(t, err, apperr.KindForbidden, "email_not_confirmed")
	_, _, err = b.svc.SignIn(ctx, "ada@example.com", "wrong-password", client)
	requireCode(t, err, apperr.KindUnauthorized, "invalid_credentials")

	conf, err := b.svc.ConfirmEmail(ctx, token)
	require.NoError(t, err)
	require.False(t, conf.EmailChanged)
	require.Equal(t, "ada@example.com", conf.User.Email)
	_, err = b.svc.ConfirmEmail(ctx, token)
	requireCode(t, err, apperr.KindNotFound, "invalid_link")

	user, sess, err := b.svc.SignIn(ctx, "ADA@example.com", password, client)
	require.NoError(t, err)
	require.Equal(t, "Ada", user.Name)
	require.False(t, user.Admin)
	require.NotNil(t, user.LastSignInAt)
	require.Len(t, sess.Secret, 43)

	p, err := b.svc.AuthenticateSession(ctx, sess.Secret)
	require.NoError(t, err)
	require.Equal(t, user.ID, p.User.ID)
	require.Equal(t, account.MethodSession, p.Method)
	require.Equal(t, account.ScopeAdmin, p.Scope)
	require.Equal(t, sess.CSRFToken, p.CSRFToken)
	require.Equal(t, b.clock.Now().Add(14*24*time.Hour), p.ExpiresAt)

	// Only the digest of the session id is stored.
	var stored int
	require.NoError(t, b.st.DB.NewRaw("SELECT count(*) FROM sessions WHERE token_digest = ? OR token_digest = ?",
		sess.Secret, account.Digest(sess.Secret)).Scan(ctx, &stored))
	require.Equal(t, 1, stored)
	var leaked bool
	require.NoError(t, b.st.DB.NewRaw("SELECT EXISTS (SELECT 1 FROM sessions WHERE token_digest = ?)", sess.Secret).Scan(ctx, &leaked))
	require.False(t, leaked)
}

func TestSignUpNeedsSetupFirst(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	_, err := b.svc.SignUp(context.Background(), account.SignUpInput{Name: "A", Email: "a@example.com", Password: password}, client)
	requireCode(t, err, apperr.KindConflict, "setup_required")
}

func TestSignUpValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.admin(t)
	for _, tt := range []struct {
		name  string
		in    account.SignUpInput
		field string
		msg   string
	}{
		{"blank name", account.SignUpInput{Name: "  ", Email: "a@example.com", Password: password}, "name", "must not be blank"},
		{"long name", account.SignUpInput{Name: strings.Repeat("é", 101), Email: "a@example.com", Password: password}, "name", "must be at most 100 characters"},
		{"control characters", account.SignUpInput{Name: "a\nb", Email: "a@example.com", Password: password}, "name", "must not contain control characters"},
		{"no e-mail", account.SignUpInput{Name: "A", Email: "", Password: password}, "email", "must not be blank"},
		{"not an e-mail", account.SignUpInput{Name: "A", Email: "ada at example", Password: password}, "email", "must be an e-mail address such as ada@example.com"},
		{"display-name e-mail", account.SignUpInput{Name: "A", Email: "Ada <a@example.com>", Password: password}, "email", "must be an e-mail address such as ada@example.com"},
		{"short password", account.SignUpInput{Name: "A", Email: "a@example.com", Password: "1234567"}, "password", "must be at least 8 characters"},
		{"long password", account.SignUpInput{Name: "A", Email: "a@example.com", Password: strings.Repeat("x", 129)}, "password", "must be at most 128 characters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.svc.SignUp(context.Background(), tt.in, client)
			fields := requireCode(t, err, apperr.KindUnprocessable, "validation_failed")
			require.Equal(t, tt.msg, fields[tt.field], fields)
		})
	}
	// Multi-byte characters count as one: 8 of them are a valid password.
	_, err := b.svc.SignUp(context.Background(), account.SignUpInput{Name: "A", Email: "a@example.com", Password: "ääääääää"}, client)
	require.NoError(t, err)
}

func TestSignUpDoesNotRevealAccounts(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	b.user(t, "known@example.com")

	// A confirmed address: the same answer as a new one; the owner gets a reminder, no account.
	res, err := b.svc.SignUp(ctx, account.SignUpInput{Name: "Mallory", Email: "known@example.com", Password: "attacker-pw"}, client)
	require.NoError(t, err)
	require.Nil(t, res.Session)
	require.Equal(t, "account_exists", b.lastMail(t, "known@example.com").Kind)
	_, _, err = b.svc.SignIn(ctx, "known@example.com", "attacker-pw", client)
	requireCode(t, err, apperr.KindUnauthorized, "invalid_credentials")

	// An unconfirmed address: a fresh link replaces the old one; the first password stays, so
	// whoever signs up last does not get the account when the owner confirms.
	_, err = b.svc.SignUp(ctx, account.SignUpInput{Name: "Bob", Email: "bob@example.com", Password: password}, client)
	require.NoError(t, err)
	first := tokenIn(t, b.lastMail(t, "bob@example.com"))
	_, err = b.svc.SignUp(ctx, account.SignUpInput{Name: "Mallory", Email: "bob@example.com", Password: "attacker-pw"}, client)
	require.NoError(t, err)
	second := tokenIn(t, b.lastMail(t, "bob@example.com"))
	require.NotEqual(t, first, second)
	_, err = b.svc.ConfirmEmail(ctx, first)
	requireCode(t, err, apperr.KindNotFound, "invalid_link")
	_, err = b.svc.ConfirmEmail(ctx, second)
	require.NoError(t, err)
	_, _, err = b.svc.SignIn(ctx, "bob@example.com", "attacker-pw", client)
	requireCode(t, err, apperr.KindUnauthorized, "invalid_credentials")
	_, _, err = b.svc.SignIn(ctx, "bob@example.com", password, client)
	require.NoError(t, err)

	// Sign-in: unknown address and wrong password answer alike.
	_, _, errUnknown := b.svc.SignIn(ctx, "nobody@example.com", password, client)
	_, _, errWrong := b.svc.SignIn(ctx, "bob@example.com", "not-the-password", client)
	require.Equal(t, errUnknown, errWrong)
}

func TestPasswordResetAndResendDoNotRevealAccounts(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	b.user(t, "known@example.com")
	before := len(b.mails(t))

	require.NoError(t, b.svc.RequestPasswordReset(ctx, "nobody@example.com"))
	require.NoError(t, b.svc.ResendConfirmation(ctx, "nobody@example.com"))
	require.NoError(t, b.svc.ResendConfirmation(ctx, "known@example.com"), "already confirmed: nothing to send")
	require.Len(t, b.mails(t), before, "nothing is sent for unknown or confirmed addresses")

	require.NoError(t, b.svc.RequestPasswordReset(ctx, "Known@Example.com"))
	require.Equal(t, "reset_password", b.lastMail(t, "known@example.com").Kind)

	err := b.svc.RequestPasswordReset(ctx, "not an address")
	requireCode(t, err, apperr.KindUnprocessable, "validation_failed")
}

func TestConfirmationLinkExpires(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	_, err := b.svc.SignUp(ctx, account.SignUpInput{Name: "A", Email: "a@example.com", Password: password}, client)
	require.NoError(t, err)
	token := tokenIn(t, b.lastMail(t, "a@example.com"))

	b.clock.Advance(account.ConfirmationTTL + time.Second)
	_, err = b.svc.ConfirmEmail(ctx, token)
	requireCode(t, err, apperr.KindGone, "link_expired")

	// A new link works; the expired one stays dead.
	require.NoError(t, b.svc.ResendConfirmation(ctx, "a@example.com"))
	_, err = b.svc.ConfirmEmail(ctx, tokenIn(t, b.lastMail(t, "a@example.com")))
	require.NoError(t, err)
	_, err = b.svc.ConfirmEmail(ctx, token)
	require.Error(t, err)
	_, err = b.svc.ConfirmEmail(ctx, "not-a-token-at-all-really")
	requireCode(t, err, apperr.KindNotFound, "invalid_link")
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	u := b.user(t, "ada@example.com")
	_, sess, err := b.svc.SignIn(ctx, "ada@example.com", password, client)
	require.NoError(t, err)
	plaintext, _, err := b.svc.CreateToken(ctx, u, account.NewToken{Name: "ci", Scope: account.ScopeRead})
	require.NoError(t, err)

	require.NoError(t, b.svc.RequestPasswordReset(ctx, "ada@example.com"))
	token := tokenIn(t, b.lastMail(t, "ada@example.com"))

	err = b.svc.ResetPassword(ctx, token, "short")
	fields := requireCode(t, err, apperr.KindUnprocessable, "validation_failed")
	require.Contains(t, fields, "password")

	require.NoError(t, b.svc.ResetPassword(ctx, token, "brand-new-password"))
	err = b.svc.ResetPassword(ctx, token, "another-new-password")
	requireCode(t, err, apperr.KindNotFound, "invalid_link")
	require.Equal(t, "password_changed", b.lastMail(t, "ada@example.com").Kind)

	// A reset takes the account back: every session and token stops working.
	_, err = b.svc.AuthenticateSession(ctx, sess.Secret)
	requireCode(t, err, apperr.KindUnauthorized, "session_expired")
	_, err = b.svc.AuthenticateToken(ctx, plaintext)
	requireCode(t, err, apperr.KindUnauthorized, "invalid_token")

	_, _, err = b.svc.SignIn(ctx, "ada@example.com", password, client)
	requireCode(t, err, apperr.KindUnauthorized, "invalid_credentials")
	_, _, err = b.svc.SignIn(ctx, "ada@example.com", "brand-new-password", client)
	require.NoError(t, err)

	// Links last six hours, and only the newest counts.
	require.NoError(t, b.svc.RequestPasswordReset(ctx, "ada@example.com"))
	older := tokenIn(t, b.lastMail(t, "ada@example.com"))
	require.NoError(t, b.svc.RequestPasswordReset(ctx, "ada@example.com"))
	newer := tokenIn(t, b.lastMail(t, "ada@example.com"))
	requireCode(t, b.svc.ResetPassword(ctx, older, "yet-another-password"), apperr.KindNotFound, "invalid_link")
	b.clock.Advance(6*time.Hour + time.Second)
	requireCode(t, b.svc.ResetPassword(ctx, newer, "yet-another-password"), apperr.KindGone, "link_expired")
}

func TestResetConfirmsAnUnconfirmedAddress(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	_, err := b.svc.SignUp(ctx, account.SignUpInput{Name: "A", Email: "a@example.com", Password: password}, client)
	require.NoError(t, err)
	require.NoError(t, b.svc.RequestPasswordReset(ctx, "a@example.com"))
	require.NoError(t, b.svc.ResetPassword(ctx, tokenIn(t, b.lastMail(t, "a@example.com")), "another-password"))
	_, _, err = b.svc.SignIn(ctx, "a@example.com", "another-password", client)
	require.NoError(t, err)
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	b := setup(t, func(o *account.Options) { o.Signup = account.SignupInvite })
	ctx := context.Background()
	admin := b.admin(t)

	_, err := b.svc.SignUp(ctx, account.SignUpInput{Name: "A", Email: "ada@example.com", Password: password}, client)
	requireCode(t, err, apperr.KindForbidden, "invitation_required")

	inv, err := b.svc.Invite(ctx, admin, "Ada@Example.com")
	require.NoError(t, err)
	require.Equal(t, "ada@example.com", inv.Email)
	require.Equal(t, b.clock.Now().Add(account.InvitationTTL), inv.ExpiresAt)
	m := b.lastMail(t, "ada@example.com")
	require.Equal(t, "invitation", m.Kind)
	require.Contains(t, m.Text, "Admin (admin@example.com) invites you")
	token := tokenIn(t, m)

	got, err := b.svc.InvitationByToken(ctx, token)
	require.NoError(t, err)
	require.Equal(t, "ada@example.com", got.Email)

	// Another address than the invited one: refused, and the invitation still works.
	_, err = b.svc.SignUp(ctx, account.SignUpInput{Name: "A", Email: "eve@example.com", Password: password, InvitationToken: token}, client)
	fields := requireCode(t, err, apperr.KindUnprocessable, "validation_failed")
	require.Equal(t, "must be the address the invitation was sent to", fields["email"])

	res, err := b.svc.SignUp(ctx, account.SignUpInput{Name: "Ada", Email: "ada@example.com", Password: password, InvitationToken: token}, client)
	require.NoError(t, err)
	require.NotNil(t, res.Session, "an invitation signs the new user in at once")
	require.True(t, res.User.Confirmed())
	p, err := b.svc.AuthenticateSession(ctx, res.Session.Secret)
	require.NoError(t, err)
	require.Equal(t, "ada@example.com", p.User.Email)

	_, err = b.svc.SignUp(ctx, account.SignUpInput{Name: "Ada", Email: "ada@example.com", Password: password, InvitationToken: token}, client)
	requireCode(t, err, apperr.KindNotFound, "invalid_link")
	_, err = b.svc.Invite(ctx, admin, "ada@example.com")
	requireCode(t, err, apperr.KindConflict, "email_taken")

	inv2, err := b.svc.Invite(ctx, admin, "late@example.com")
	require.NoError(t, err)
	b.clock.Advance(inv2.ExpiresAt.Sub(b.clock.Now()) + time.Second)
	_, err = b.svc.InvitationByToken(ctx, tokenIn(t, b.lastMail(t, "late@example.com")))
	requireCode(t, err, apperr.KindGone, "link_expired")
}

func TestAdminEmailsMakeAdministrators(t *testing.T) {
	t.Parallel()
	b := setup(t, func(o *account.Options) { o.AdminEmails = []string{" Boss@Example.com "} })
	ctx := context.Background()
	b.admin(t)
	boss := b.user(t, "boss@example.com")
	require.True(t, boss.Admin)
	require.False(t, boss.IsAdmin, "the flag stays unset: removing the address from the list removes the power")
	require.False(t, b.user(t, "staff@example.com").Admin)

	_, sess, err := b.svc.SignIn(ctx, "boss@example.com", password, client)
	require.NoError(t, err)
	p, err := b.svc.AuthenticateSession(ctx, sess.Secret)
	require.NoError(t, err)
	require.True(t, p.User.Admin)
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	b := setup(t, func(o *account.Options) {
		o.SessionTTL = 10 * time.Hour
		o.SessionIdleTimeout = 2 * time.Hour
	})
	ctx := context.Background()
	b.admin(t)
	b.user(t, "ada@example.com")

	t.Run("idle", func(t *testing.T) {
		_, sess, err := b.svc.SignIn(ctx, "ada@example.com", password, client)
		require.NoError(t, err)
		b.clock.Advance(2*time.Hour + time.Second)
		_, err = b.svc.AuthenticateSession(ctx, sess.Secret)
		requireCode(t, err, apperr.KindUnauthorized, "session_expired")
	})
	t.Run("use keeps it alive until the absolute end", func(t *testing.T) {
		_, sess, err := b.svc.SignIn(ctx, "ada@example.com", password, client)
		require.NoError(t, err)
		for range 9 {
			b.clock.Advance(time.Hour)
			_, err = b.svc.AuthenticateSession(ctx, sess.Secret)
			require.NoError(t, err)
		}
		b.clock.Advance(time.Hour)
		_, err = b.svc.AuthenticateSession(ctx, sess.Secret)
		requireCode(t, err, apperr.KindUnauthorized, "session_expired")
	})
	t.Run("garbage", func(t *testing.T) {
		for _, secret := range []string{"", "nope", strings.Repeat("a", 500)} {
			_, err := b.svc.AuthenticateSession(ctx, secret)
			requireCode(t, err, apperr.KindUnauthorized, "session_expired")
		}
	})
}

func TestSessionRevocation(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	admin := b.admin(t)
	u := b.user(t, "ada@example.com")
	signIn := func() *account.NewSession {
		_, s, err := b.svc.SignIn(ctx, "ada@example.com", password, client)
		require.NoError(t, err)
		return s
	}
	alive := func(s *account.NewSession) bool {
		_, err := b.svc.AuthenticateSession(ctx, s.Secret)
		return err == nil
	}

	t.Run("sign-out", func(t *testing.T) {
		s1, s2 := signIn(), signIn()
		require.NoError(t, b.svc.RevokeSession(ctx, s1.ID))
		require.False(t, alive(s1))
		require.True(t, alive(s2))
	})
	t.Run("password change ends the other sessions", func(t *testing.T) {
		mine, other := signIn(), signIn()
		err := b.svc.ChangePassword(ctx, u.ID, mine.ID, "wrong", "new-password-1")
		fields := requireCode(t, err, apperr.KindUnprocessable, "validation_failed")
		require.Equal(t, "is not your current password", fields["currentPassword"])
		require.True(t, alive(other))

		require.NoError(t, b.svc.ChangePassword(ctx, u.ID, mine.ID, password, "new-password-1"))
		require.True(t, alive(mine))
		require.False(t, alive(other))
		require.NoError(t, b.svc.ChangePassword(ctx, u.ID, mine.ID, "new-password-1", password))
	})
	t.Run("disabling ends everything", func(t *testing.T) {
		s := signIn()
		token, _, err := b.svc.CreateToken(ctx, u, account.NewToken{Name: "ci", Scope: account.ScopeWrite})
		require.NoError(t, err)
		disabled, err := b.svc.SetDisabled(ctx, admin, u.UUID, true)
		require.NoError(t, err)
		require.True(t, disabled.Disabled())
		require.False(t, alive(s))
		_, err = b.svc.AuthenticateToken(ctx, token)
		requireCode(t, err, apperr.KindUnauthorized, "invalid_token")
		_, _, err = b.svc.SignIn(ctx, "ada@example.com", password, client)
		requireCode(t, err, apperr.KindForbidden, "account_disabled")

		_, err = b.svc.SetDisabled(ctx, admin, u.UUID, false)
		require.NoError(t, err)
		require.False(t, alive(s), "enabling restores no session")
		_, err = b.svc.AuthenticateToken(ctx, token)
		require.Error(t, err, "nor any token")
		require.True(t, alive(signIn()))
	})
	t.Run("not oneself", func(t *testing.T) {
		_, err := b.svc.SetDisabled(ctx, admin, admin.UUID, true)
		requireCode(t, err, apperr.KindConflict, "cannot_disable_self")
		err = b.svc.DeleteUser(ctx, admin, admin.UUID)
		requireCode(t, err, apperr.KindConflict, "cannot_delete_self")
	})
	t.Run("deleting", func(t *testing.T) {
		other := b.user(t, "gone@example.com")
		_, s, err := b.svc.SignIn(ctx, "gone@example.com", password, client)
		require.NoError(t, err)
		require.NoError(t, b.svc.DeleteUser(ctx, admin, other.UUID))
		require.False(t, alive(s))
		requireCode(t, b.svc.DeleteUser(ctx, admin, other.UUID), apperr.KindNotFound, "not_found")
	})
}

func TestPersonalAccessTokens(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	u := b.user(t, "ada@example.com")
	other := b.user(t, "bob@example.com")

	plaintext, tok, err := b.svc.CreateToken(ctx, u, account.NewToken{Name: " deploy ", Scope: account.ScopeWrite, TTL: 48 * time.Hour})
	require.NoError(t, err)
	require.Regexp(t, `^logister_pat_[0-9a-f]{64}$`, plaintext)
	require.Equal(t, "deploy", tok.Name)
	require.Equal(t, plaintext[:17], tok.TokenHint)
	require.Equal(t, b.clock.Now().Add(48*time.Hour), tok.ExpiresAt)
	var leaked bool
	require.NoError(t, b.st.DB.NewRaw("SELECT EXISTS (SELECT 1 FROM personal_access_tokens WHERE token_digest = ? OR token_hint = ?)",
		plaintext, plaintext).Scan(ctx, &leaked))
	require.False(t, leaked, "only the digest is stored")

	p, err := b.svc.AuthenticateToken(ctx, plaintext)
	require.NoError(t, err)
	require.Equal(t, account.MethodToken, p.Method)
	require.Equal(t, account.ScopeWrite, p.Scope)
	require.Equal(t, u.ID, p.User.ID)
	require.Empty(t, p.CSRFToken)

	list, err := b.svc.ListTokens(ctx, u.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.NotNil(t, list[0].LastUsedAt, "use is recorded")

	requireCode(t, b.svc.RevokeToken(ctx, other.ID, tok.UUID), apperr.KindNotFound, "not_found")
	b.clock.Advance(48*time.Hour + time.Second)
	_, err = b.svc.AuthenticateToken(ctx, plaintext)
	requireCode(t, err, apperr.KindUnauthorized, "invalid_token")

	fresh, freshTok, err := b.svc.CreateToken(ctx, u, account.NewToken{Name: "x", Scope: account.ScopeRead})
	require.NoError(t, err)
	require.Equal(t, b.clock.Now().Add(account.DefaultTokenTTL), freshTok.ExpiresAt)
	require.NoError(t, b.svc.RevokeToken(ctx, u.ID, freshTok.UUID))
	_, err = b.svc.AuthenticateToken(ctx, fresh)
	requireCode(t, err, apperr.KindUnauthorized, "invalid_token")
	requireCode(t, b.svc.RevokeToken(ctx, u.ID, freshTok.UUID), apperr.KindNotFound, "not_found")

	_, _, err = b.svc.CreateToken(ctx, u, account.NewToken{Name: "", Scope: "root", TTL: 400 * 24 * time.Hour})
	fields := requireCode(t, err, apperr.KindUnprocessable, "validation_failed")
	require.Len(t, fields, 3)
	require.Equal(t, "must be read, write or admin", fields["scope"])
}

func TestScopes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		have, need account.Scope
		ok         bool
	}{
		{account.ScopeRead, account.ScopeRead, true},
		{account.ScopeRead, account.ScopeWrite, false},
		{account.ScopeWrite, account.ScopeWrite, true},
		{account.ScopeWrite, account.ScopeAdmin, false},
		{account.ScopeAdmin, account.ScopeRead, true},
		{"bogus", account.ScopeRead, false},
	} {
		require.Equal(t, tt.ok, tt.have.Includes(tt.need), "%s includes %s", tt.have, tt.need)
	}
}

func TestEmailChange(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	u := b.user(t, "old@example.com")
	b.user(t, "taken@example.com")

	err := b.svc.RequestEmailChange(ctx, u.ID, "wrong-password", "new@example.com")
	require.Equal(t, "is not your current password", requireCode(t, err, apperr.KindUnprocessable, "validation_failed")["currentPassword"])
	err = b.svc.RequestEmailChange(ctx, u.ID, password, "OLD@example.com")
	require.Equal(t, "is already your address", requireCode(t, err, apperr.KindUnprocessable, "validation_failed")["email"])

	// Another account's address: that mailbox is told, nothing changes, and the answer is the same.
	require.NoError(t, b.svc.RequestEmailChange(ctx, u.ID, password, "taken@example.com"))
	require.Equal(t, "change_email_in_use", b.lastMail(t, "taken@example.com").Kind)

	require.NoError(t, b.svc.RequestEmailChange(ctx, u.ID, password, "New@Example.com"))
	require.Equal(t, "change_email_notice", b.lastMail(t, "old@example.com").Kind)
	m := b.lastMail(t, "new@example.com")
	require.Equal(t, "change_email", m.Kind)
	pending, err := b.svc.UserByEmail(ctx, "old@example.com")
	require.NoError(t, err)
	require.Equal(t, "new@example.com", *pending.PendingEmail)

	conf, err := b.svc.ConfirmEmail(ctx, tokenIn(t, m))
	require.NoError(t, err)
	require.True(t, conf.EmailChanged)
	require.Equal(t, "new@example.com", conf.User.Email)
	require.Nil(t, conf.User.PendingEmail)
	_, _, err = b.svc.SignIn(ctx, "new@example.com", password, client)
	require.NoError(t, err)
	_, _, err = b.svc.SignIn(ctx, "old@example.com", password, client)
	require.Error(t, err)
}

func TestEmailChangeLosesARaceForTheAddress(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	u := b.user(t, "old@example.com")
	require.NoError(t, b.svc.RequestEmailChange(ctx, u.ID, password, "new@example.com"))
	token := tokenIn(t, b.lastMail(t, "new@example.com"))
	b.user(t, "new@example.com") // someone else takes the address meanwhile
	_, err := b.svc.ConfirmEmail(ctx, token)
	requireCode(t, err, apperr.KindConflict, "email_taken")
}

func TestUpdateProfile(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	b.admin(t)
	u := b.user(t, "ada@example.com")
	got, err := b.svc.UpdateProfile(context.Background(), u.ID, "  Ada Lovelace ")
	require.NoError(t, err)
	require.Equal(t, "Ada Lovelace", got.Name)
	_, err = b.svc.UpdateProfile(context.Background(), u.ID, strings.Repeat("x", 101))
	requireCode(t, err, apperr.KindUnprocessable, "validation_failed")
}

func TestListUsers(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	for _, e := range []string{"ann@example.com", "bea@example.org", "cid@example.com", "100%_sure@example.com"} {
		b.user(t, e)
	}
	var seen []string
	cursor := ""
	for {
		page, err := b.svc.ListUsers(ctx, account.UserQuery{Cursor: cursor, Limit: 2})
		require.NoError(t, err)
		for _, u := range page.Users {
			seen = append(seen, u.Email)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	require.Equal(t, []string{"100%_sure@example.com", "cid@example.com", "bea@example.org", "ann@example.com", "admin@example.com"}, seen)

	page, err := b.svc.ListUsers(ctx, account.UserQuery{Search: "EXAMPLE.ORG"})
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	page, err = b.svc.ListUsers(ctx, account.UserQuery{Search: "user cid"}) // names are "User <email>"
	require.NoError(t, err)
	require.Len(t, page.Users, 1)
	page, err = b.svc.ListUsers(ctx, account.UserQuery{Search: "%_"})
	require.NoError(t, err)
	require.Len(t, page.Users, 1, "LIKE wildcards are matched literally")
	require.True(t, page.Users[0].Email == "100%_sure@example.com")

	_, err = b.svc.ListUsers(ctx, account.UserQuery{Cursor: "!!"})
	requireCode(t, err, apperr.KindInvalid, "invalid_cursor")
}

func TestCreateUserAndPromote(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	u, err := b.svc.CreateUser(ctx, account.NewUser{Email: "ops@example.com", Name: "Ops", Password: password, Confirmed: true})
	require.NoError(t, err)
	require.False(t, u.Admin)
	_, err = b.svc.CreateUser(ctx, account.NewUser{Email: "OPS@example.com", Name: "Ops", Password: password})
	requireCode(t, err, apperr.KindConflict, "email_taken")

	required := func() bool {
		var done bool
		require.NoError(t, b.st.DB.NewRaw("SELECT setup_completed_at IS NULL FROM instance").Scan(ctx, &done))
		return done
	}
	require.True(t, required(), "a user who is not an administrator leaves setup open")
	promoted, err := b.svc.Promote(ctx, "Ops@Example.com")
	require.NoError(t, err)
	require.True(t, promoted.Admin)
	require.False(t, required(), "the first administrator completes setup")
	_, err = b.svc.Promote(ctx, "nobody@example.com")
	requireCode(t, err, apperr.KindNotFound, "not_found")
}

func TestConfirmUserAndResend(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ctx := context.Background()
	b.admin(t)
	_, err := b.svc.SignUp(ctx, account.SignUpInput{Name: "A", Email: "a@example.com", Password: password}, client)
	require.NoError(t, err)
	u, err := b.svc.UserByEmail(ctx, "a@example.com")
	require.NoError(t, err)
	require.NoError(t, b.svc.ResendConfirmationTo(ctx, u.UUID))
	confirmed, err := b.svc.ConfirmUser(ctx, u.UUID)
	require.NoError(t, err)
	require.True(t, confirmed.Confirmed())
	requireCode(t, b.svc.ResendConfirmationTo(ctx, u.UUID), apperr.KindConflict, "already_confirmed")
	_, _, err = b.svc.SignIn(ctx, "a@example.com", password, client)
	require.NoError(t, err)
}
