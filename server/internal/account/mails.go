package account

import (
	"fmt"
	"strings"
	"time"

	"github.com/logister/logister/server/internal/mail"
)

// The e-mails of the account flows: plain text, with links to the web app.

func (s *Service) confirmationMail(to, name, token string) mail.Message {
	return s.message("confirm_email", to, "Confirm your e-mail address",
		fmt.Sprintf("Hello %s,\n\nconfirm your e-mail address to finish signing up to %s:\n\n  %s\n\n"+
			"The link works once, for %s. If you did not sign up, ignore this message.",
			name, s.opts.InstanceName, s.link("/confirm/"+token), hours(ConfirmationTTL)))
}

func (s *Service) accountExistsMail(to, name string) mail.Message {
	return s.message("account_exists", to, "You already have an account",
		fmt.Sprintf("Hello %s,\n\nsomeone (perhaps you) tried to sign up to %s with this address, which already has an "+
			"account. Sign in at %s, or reset your password at %s.\n\nIf it was not you, ignore this message.",
			name, s.opts.InstanceName, s.link("/sign-in"), s.link("/forgot-password")))
}

func (s *Service) resetMail(to, name, token string) mail.Message {
	return s.message("reset_password", to, "Reset your password",
		fmt.Sprintf("Hello %s,\n\nchoose a new password for %s here:\n\n  %s\n\n"+
			"The link works once, for %s. If you did not ask for it, ignore this message: your password is unchanged.",
			name, s.opts.InstanceName, s.link("/reset-password/"+token), hours(ResetTTL)))
}

func (s *Service) passwordChangedMail(to, name string) mail.Message {
	return s.message("password_changed", to, "Your password was changed",
		fmt.Sprintf("Hello %s,\n\nthe password of your %s account was just changed, and your other sessions were "+
			"signed out. If you did not do this, reset your password at %s and tell your administrator.",
			name, s.opts.InstanceName, s.link("/forgot-password")))
}

func (s *Service) emailChangeMail(to, name, token string) mail.Message {
	return s.message("change_email", to, "Confirm your new e-mail address",
		fmt.Sprintf("Hello %s,\n\nconfirm that %s is your new e-mail address for %s:\n\n  %s\n\n"+
			"The link works once, for %s. Until then your old address stays in use.",
			name, to, s.opts.InstanceName, s.link("/confirm/"+token), hours(EmailChangeTTL)))
}

func (s *Service) emailChangeNoticeMail(to, name, newEmail string) mail.Message {
	return s.message("change_email_notice", to, "Your e-mail address is being changed",
		fmt.Sprintf("Hello %s,\n\nsomeone signed in to your %s account asked to change its e-mail address to %s. "+
			"It changes once that address is confirmed. If this was not you, change your password now.",
			name, s.opts.InstanceName, newEmail))
}

func (s *Service) emailInUseMail(to string) mail.Message {
	return s.message("change_email_in_use", to, "This address already has an account",
		fmt.Sprintf("Hello,\n\nsomeone asked to move their %s account to this address, which already has an account "+
			"of its own, so nothing changed. If this was you, sign in with this address instead.", s.opts.InstanceName))
}

func (s *Service) invitationMail(to, inviter, token string) mail.Message {
	return s.message("invitation", to, fmt.Sprintf("You are invited to %s", s.opts.InstanceName),
		fmt.Sprintf("Hello,\n\n%s invites you to %s, where your team tracks errors. Create your account here:\n\n  %s\n\n"+
			"The invitation works once, for %s.", inviter, s.opts.InstanceName, s.link("/invitations/"+token), hours(InvitationTTL)))
}

func (s *Service) message(kind, to, subject, body string) mail.Message {
	return mail.Message{
		Kind:    kind,
		To:      to,
		Subject: fmt.Sprintf("[%s] %s", s.opts.InstanceName, subject),
		Text:    strings.TrimSpace(body) + "\n\n-- \n" + s.opts.InstanceName + " · " + s.link("") + "\n",
	}
}

// hours writes a lifetime as "6 hours" or "7 days".
func hours(d time.Duration) string {
	if d >= 48*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return fmt.Sprintf("%d hours", d/time.Hour)
}
