package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/config"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/project"
)

// adminCommand runs `project create` and `key create`, which print only their result on stdout
// (scripts rely on it); everything else goes to the log on stderr.
func adminCommand(ctx context.Context, cfg *config.Config, logger *slog.Logger, cmd string, args []string, stdout io.Writer) error {
	if cmd == "project" && len(args) > 0 && args[0] == "limits" {
		return projectLimits(ctx, cfg, logger, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "create" {
		return usageError(fmt.Sprintf("usage: logister %s create ...", cmd))
	}
	fs := flag.NewFlagSet(cmd+" create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	kind := fs.String("kind", "http_api", "the project's integration kind: "+strings.Join(project.Kinds, ", "))
	owner := fs.String("owner", "", "the e-mail address of the user who owns the project")
	description := fs.String("description", "", "what the project is")
	name := fs.String("name", "Default", "the key's name")
	positional, err := parseInterspersed(fs, args[1:])
	if err != nil || len(positional) != 1 {
		if cmd == "project" {
			return usageError("usage: logister project create NAME [--kind KIND] [--owner EMAIL] [--description TEXT]")
		}
		return usageError("usage: logister key create PROJECT [--name NAME]")
	}

	db, err := openDatabase(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer db.close(ctx, logger)
	accounts := newAccounts(cfg, db.DB, mail.NewOutbox(db.DB, logger))
	svc := newProjects(cfg, db.DB, accounts, logger)
	if cmd == "project" {
		in := project.NewProject{Name: positional[0], Kind: *kind, Description: *description}
		if *owner != "" {
			u, err := accounts.UserByEmail(ctx, *owner)
			if err != nil {
				return err
			}
			in.OwnerID = &u.ID
		}
		p, err := svc.CreateProject(ctx, in)
		if err != nil {
			return err
		}
		logger.Info("created project", "slug", p.Slug, "uuid", p.UUID.String(), "kind", p.IntegrationKind, "owner", *owner)
		_, err = fmt.Fprintln(stdout, p.Slug)
		return err
	}
	key, k, err := svc.CreateKey(ctx, positional[0], *name)
	if err != nil {
		return err
	}
	logger.Info("created ingest key", "key_uuid", k.UUID.String(), "hint", k.TokenHint)
	_, err = fmt.Fprintln(stdout, key)
	return err
}

// newProjects builds the project service from the configuration.
func newProjects(cfg *config.Config, db bun.IDB, accounts *account.Service, logger *slog.Logger) *project.Service {
	return project.New(db, project.Options{KeyPrefix: cfg.APIKeyPrefix, Accounts: accounts, Logger: logger})
}

// parseInterspersed parses flags that may come before or after the positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usageError is a mistake in the command line: exit status 2, message as is.
type usageError string

func (e usageError) Error() string { return string(e) }
