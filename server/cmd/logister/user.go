package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/config"
	"github.com/logister/logister/server/internal/mail"
)

// newAccounts builds the account service from the configuration; e-mail goes to outbox.
func newAccounts(cfg *config.Config, db bun.IDB, outbox *mail.Outbox) *account.Service {
	return account.NewService(db, outbox, account.Options{
		Signup:             account.SignupMode(cfg.Signup),
		AdminEmails:        cfg.AdminEmails,
		PublicURL:          cfg.PublicURL,
		InstanceName:       cfg.InstanceName,
		TokenPrefix:        cfg.APIKeyPrefix,
		SessionTTL:         cfg.SessionTTL,
		SessionIdleTimeout: cfg.SessionIdleTimeout,
	})
}

//nolint:gosec // usage lines, not credentials
const (
	userCreateUsage  = "usage: logister user create EMAIL [--name NAME] [--admin] [--password-file FILE] (or the password on stdin)"
	userPromoteUsage = "usage: logister user promote EMAIL"
	tokenUsage       = "usage: logister token create EMAIL --name NAME [--scope read|write|admin] [--expires 30d]"
)

// userCommand runs `user create` and `user promote`, which print only the user's id on stdout.
// The password is never an argument (it would show in ps and shell history): it is read from the
// file named by --password-file, or from the first line of stdin when stdin is not a terminal.
func userCommand(ctx context.Context, cfg *config.Config, logger *slog.Logger, args []string, stdin *os.File, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "promote") {
		return usageError(userCreateUsage + "\n       " + userPromoteUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "display name (default: the e-mail's local part)")
	admin := fs.Bool("admin", false, "make the user an instance administrator")
	passwordFile := fs.String("password-file", "", "read the password from this file")
	positional, err := parseInterspersed(fs, args[1:])
	if sub == "promote" && err == nil && (len(positional) != 1 || *name != "" || *admin || *passwordFile != "") {
		return usageError(userPromoteUsage)
	}
	if err != nil || len(positional) != 1 {
		if sub == "promote" {
			return usageError(userPromoteUsage)
		}
		return usageError(userCreateUsage)
	}
	email := positional[0]

	var password string
	if sub == "create" {
		if password, err = readPassword(*passwordFile, stdin); err != nil {
			return err
		}
		if *name == "" {
			*name, _, _ = strings.Cut(email, "@")
		}
	}

	db, err := openDatabase(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer db.close(ctx, logger)
	accounts := newAccounts(cfg, db.DB, mail.NewOutbox(db.DB, logger))

	var u *account.User
	if sub == "create" {
		u, err = accounts.CreateUser(ctx, account.NewUser{Email: email, Name: *name, Password: password, Admin: *admin, Confirmed: true})
		if err != nil {
			return err
		}
		logger.Info("created user", "user_id", u.UUID.String(), "email", u.Email, "admin", u.Admin)
	} else {
		if u, err = accounts.Promote(ctx, email); err != nil {
			return err
		}
		logger.Info("promoted user to instance administrator", "user_id", u.UUID.String(), "email", u.Email)
	}
	_, err = fmt.Fprintln(stdout, u.UUID.String())
	return err
}

// readPassword reads the password from path, or from stdin when it is piped. Only one trailing
// line break is removed: the password is otherwise taken as it is.
func readPassword(path string, stdin *os.File) (string, error) {
	var r io.Reader
	switch {
	case path != "":
		f, err := os.Open(path) //nolint:gosec // the operator names their own file
		if err != nil {
			return "", usageError("cannot read --password-file: " + err.Error())
		}
		defer f.Close()
		r = f
	case stdin != nil && !isTerminal(stdin):
		r = stdin
	default:
		return "", usageError("give the password on stdin (echo \"$PASSWORD\" | logister user create ...) or with --password-file FILE; it is never an argument")
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", usageError("the password is empty")
	}
	return line, nil
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// tokenCommand runs `token create`, which prints only the new personal access token.
func tokenCommand(ctx context.Context, cfg *config.Config, logger *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError(tokenUsage)
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("name", "", "the token's name")
	scope := fs.String("scope", "read", "read, write or admin")
	expires := fs.String("expires", "30d", "lifetime: days (30d), hours (12h) or a year at most (1y)")
	positional, err := parseInterspersed(fs, args[1:])
	if err != nil || len(positional) != 1 || strings.TrimSpace(*name) == "" {
		return usageError(tokenUsage)
	}
	ttl, err := parseLifetime(*expires)
	if err != nil {
		return err
	}
	if !account.Scope(*scope).Valid() {
		return usageError("--scope must be read, write or admin")
	}

	db, err := openDatabase(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer db.close(ctx, logger)
	accounts := newAccounts(cfg, db.DB, mail.NewOutbox(db.DB, logger))
	u, err := accounts.UserByEmail(ctx, positional[0])
	if err != nil {
		return err
	}
	plaintext, t, err := accounts.CreateToken(ctx, u, account.NewToken{Name: *name, Scope: account.Scope(*scope), TTL: ttl})
	if err != nil {
		return err
	}
	logger.Info("created personal access token", "token_id", t.UUID.String(), "user_id", u.UUID.String(),
		"scope", string(t.Scope), "expires_at", t.ExpiresAt, "hint", t.TokenHint)
	_, err = fmt.Fprintln(stdout, plaintext)
	return err
}

// parseLifetime reads 30d, 1y or a Go duration such as 12h: between an hour and 366 days.
func parseLifetime(s string) (time.Duration, error) {
	units := map[string]time.Duration{"d": 24 * time.Hour, "y": 365 * 24 * time.Hour}
	var d time.Duration
	if n, err := strconv.Atoi(strings.TrimRight(s, "dy")); err == nil && len(s) > 1 && units[s[len(s)-1:]] > 0 {
		d = time.Duration(min(max(n, 0), 400)) * units[s[len(s)-1:]]
	} else if parsed, err := time.ParseDuration(s); err == nil {
		d = parsed
	}
	if d < time.Hour || d > account.MaxTokenTTL {
		return 0, usageError("--expires must be a lifetime such as 30d, 12h or 1y, between an hour and 366 days")
	}
	return d, nil
}
