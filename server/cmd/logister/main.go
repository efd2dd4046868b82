// Command logister is the Logister server: the web API, the web app and (later) the job worker in
// one binary, plus operator subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/buildinfo"
	"github.com/logister/logister/server/internal/config"
	"github.com/logister/logister/server/internal/logging"
)

const usage = `Logister: self-hosted error monitoring and bug triage.

Usage:
  logister [serve]     run the server (the default); migrates the database first
  logister migrate     apply pending database migrations and exit
  logister project create NAME [--kind KIND] [--owner EMAIL] [--description TEXT]
                       create a project (owned by the user with that address; without
                       --owner, only instance administrators see it); prints its slug
  logister project limits PROJECT [--requests N|inherit] [--period SECONDS|inherit]
                                 [--auth-failures N|inherit]
                       show a project's public API rate limits, or override them
  logister key create PROJECT [--name NAME]
                       create an ingest key for a project (its UUID, or a slug only one
                       project has); prints the key
  logister user create EMAIL [--name NAME] [--admin] [--password-file FILE]
                       create a confirmed user; the password comes from the file or from
                       stdin (never an argument); prints the user's id
  logister user promote EMAIL
                       make a user an instance administrator; prints the user's id
  logister token create EMAIL --name NAME [--scope read|write|admin] [--expires 30d]
                       create a personal access token for a user; prints the token
  logister version     print the version
  logister help        show this help and every environment variable

Without DATABASE_URL, serve and migrate run a private PostgreSQL cluster in LOGISTER_DATA_DIR.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "logister %s %s\n", buildinfo.Version(), buildinfo.Commit())
		return 0
	case "help", "--help", "-h":
		printHelp(stdout)
		return 0
	case "serve", "migrate", "project", "key", "user", "token":
	default:
		fmt.Fprintf(stderr, "logister: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if len(args) > 0 && (cmd == "serve" || cmd == "migrate") {
		fmt.Fprintf(stderr, "logister %s: unexpected arguments %q\n", cmd, args)
		return 2
	}

	cfg, err := config.Load(os.LookupEnv)
	if err != nil {
		fmt.Fprintf(stderr, "logister: %v\n", err)
		return 2
	}
	logger := logging.New(stderr, cfg.LogFormat, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "migrate":
		err = migrate(ctx, cfg, logger)
	case "project", "key":
		err = adminCommand(ctx, cfg, logger, cmd, args, stdout)
	case "user":
		err = userCommand(ctx, cfg, logger, args, os.Stdin, stdout)
	case "token":
		err = tokenCommand(ctx, cfg, logger, args, stdout)
	default:
		err = serve(ctx, cfg, logger, stdout)
	}
	var usage usageError
	if errors.As(err, &usage) {
		fmt.Fprintln(stderr, "logister:", usage)
		return 2
	}
	var appErr *apperr.Error
	if errors.As(err, &appErr) && appErr.Kind != apperr.KindInternal {
		fmt.Fprintln(stderr, "logister:", appErr.Message)
		return 1
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("logister "+cmd+" failed", "error", err.Error())
		return 1
	}
	return 0
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, usage, "\nEnvironment variables (secrets marked * may instead be read from the file named by NAME_FILE):\n")
	for _, v := range config.Vars {
		star := ""
		if v.Secret {
			star = "*"
		}
		fmt.Fprintf(w, "  %-28s default %s\n      %s\n", v.Name+star, v.Default, v.Meaning)
	}
}
