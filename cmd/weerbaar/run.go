package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/questionnaires"
)

const usage = `Gebruik: weerbaar [opdracht]

  (geen)                 alles-in-één (API en worker; SQLite en Redis ingebouwd tenzij DATABASE_URL/REDIS_URL)
  demo                   als hierboven, met demogegevens en de dev-mailbox (/dev/mail)
  serve                  alleen de API (servermodus)
  worker                 alleen de worker (servermodus)
  migrate                database bijwerken naar het nieuwste schema
  admin create-admin     --email E --name N --password-stdin
  admin create-party     --name N                     (laatste regel: partij-id)
  admin add-member       --party ID --email E --name N --role bestuur|commissie --password-stdin
  audit verify           [--party ID]   controleer de hashketen van het auditlog
  retention              [--dry-run]    verwijder dossiers waarvan de bewaartermijn voorbij is
  keys rotate                           verpak alle sleutels opnieuw met WEERBAAR_MASTER_KEY
                                        (oude sleutel in WEERBAAR_PREVIOUS_MASTER_KEYS)
  questionnaire check    BESTAND         controleer een vragenlijst (YAML)
`

// exitError carries a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func exitCode(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if cmd == "questionnaire" {
		return questionnaireCmd(args, stdout)
	}
	if cmd == "demo" {
		prev := getenv
		getenv = func(k string) string {
			if k == "WEERBAAR_DEV" {
				return "1"
			}
			return prev(k)
		}
	}
	cfg, err := app.FromEnv(getenv)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg, os.Stderr)
	switch cmd {
	case "", "run", "demo", "serve", "worker":
		app.LimitMemory()
	}
	switch cmd {
	case "", "run", "demo":
		return allInOne(ctx, cfg, cmd == "demo", stdout)
	case "serve":
		if err := cfg.Validate(true); err != nil {
			return err
		}
		s, err := app.Open(ctx, cfg, log, app.Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		log.Info("API listening", "addr", cfg.ListenAddr)
		return s.Serve(ctx)
	case "worker":
		if err := cfg.Validate(true); err != nil {
			return err
		}
		s, err := app.Open(ctx, cfg, log, app.Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		if err := s.StartWorker(); err != nil {
			return err
		}
		log.Info("worker running", "queue", cfg.Queue)
		<-ctx.Done()
		log.Info("worker stopping: finishing in-flight tasks")
		s.StopWorker()
		return nil
	case "migrate":
		s, err := app.Open(ctx, cfg, log, app.Options{Migrate: true, StoreOnly: true})
		if err != nil {
			return err
		}
		s.Close()
		fmt.Fprintln(stdout, "database is bijgewerkt")
		return nil
	case "admin":
		return adminCmd(ctx, cfg, args, stdin, stdout)
	case "audit":
		return auditCmd(ctx, cfg, args, stdout)
	case "retention":
		return retentionCmd(ctx, cfg, args, stdout)
	case "keys":
		if len(args) != 1 || args[0] != "rotate" {
			return &exitError{code: 2, msg: "gebruik: weerbaar keys rotate"}
		}
		s, err := app.Open(ctx, cfg, log, app.Options{StoreOnly: true, Migrate: cfg.Embedded()})
		if err != nil {
			return err
		}
		defer s.Close()
		n, err := s.Store.RotateKeys(ctx)
		fmt.Fprintf(stdout, "%d sleutel(s) opnieuw verpakt met de nieuwe hoofdsleutel\n", n)
		return err
	default:
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2, msg: "onbekende opdracht: " + cmd}
	}
}

func allInOne(ctx context.Context, cfg app.Config, demo bool, stdout io.Writer) error {
	log := app.NewLogger(cfg, os.Stderr)
	s, err := app.Open(ctx, cfg, log, app.Options{Migrate: cfg.Embedded()})
	if err != nil {
		return err
	}
	defer s.Close()
	if demo {
		if err := seedDemo(ctx, s, stdout); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	if err := s.StartWorker(); err != nil {
		return err
	}
	log.Info("Weerbaar draait", "url", cfg.BaseURL, "data", cfg.DataDir, "embedded", cfg.Embedded())
	err = s.Serve(ctx)
	log.Info("stopping: finishing in-flight requests and tasks")
	s.StopWorker()
	return err
}

func questionnaireCmd(args []string, stdout io.Writer) error {
	if len(args) != 2 || args[0] != "check" {
		return &exitError{code: 2, msg: "gebruik: weerbaar questionnaire check BESTAND"}
	}
	problems := questionnaires.CheckFile(args[1])
	for _, p := range problems {
		fmt.Fprintln(stdout, p.String())
	}
	if len(problems) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d probleem/problemen gevonden in %s", len(problems), args[1])}
	}
	fmt.Fprintf(stdout, "%s: in orde\n", args[1])
	return nil
}

func readPassword(stdin io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(stdin, 4096))
	if err != nil {
		return "", err
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if len(pw) < 12 {
		return "", errors.New("het wachtwoord moet ten minste 12 tekens hebben")
	}
	return pw, nil
}

func adminCmd(ctx context.Context, cfg app.Config, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: "gebruik: weerbaar admin create-admin|create-party|add-member ..."}
	}
	sub := args[0]
	fs := flag.NewFlagSet("admin "+sub, flag.ContinueOnError)
	email := fs.String("email", "", "e-mailadres")
	name := fs.String("name", "", "naam")
	party := fs.String("party", "", "partij-id")
	role := fs.String("role", "", "bestuur of commissie")
	pwStdin := fs.Bool("password-stdin", false, "lees het wachtwoord van standaardinvoer")
	if err := fs.Parse(args[1:]); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	log := app.NewLogger(cfg, os.Stderr)
	s, err := app.Open(ctx, cfg, log, app.Options{Migrate: cfg.Embedded(), StoreOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	cli := models.Actor{ID: "cli", Role: models.RoleAdmin}
	switch sub {
	case "create-admin":
		if *email == "" || *name == "" || !*pwStdin {
			return &exitError{code: 2, msg: "gebruik: weerbaar admin create-admin --email E --name N --password-stdin"}
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		u, err := s.Store.CreateUser(ctx, *email, *name, pw, true)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, u.ID)
	case "create-party":
		if *name == "" {
			return &exitError{code: 2, msg: "gebruik: weerbaar admin create-party --name N"}
		}
		p, err := s.Store.CreateParty(ctx, cli, *name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, p.ID)
	case "add-member":
		if *party == "" || *email == "" || *name == "" || (*role != models.RoleBestuur && *role != models.RoleCommissie) || !*pwStdin {
			return &exitError{code: 2, msg: "gebruik: weerbaar admin add-member --party ID --email E --name N --role bestuur|commissie --password-stdin"}
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		if _, err := s.Store.Party(ctx, *party); err != nil {
			return fmt.Errorf("partij %s: %w", *party, err)
		}
		// The platform operator's tool: no committee confirmation (the
		// committee, or for a first committee the board, is told by mail),
		// but an existing account still accepts by mail.
		u, m, err := s.Store.AddMember(ctx, cli, *party, *email, *name, *role, &pw)
		if err != nil {
			return err
		}
		if m.Status == models.MemberInvited {
			fmt.Fprintln(os.Stderr, "Dit e-mailadres heeft al een account. Het lidmaatschap begint als deze persoon de uitnodiging in de e-mail aanvaardt; het wachtwoord blijft het eigen wachtwoord.")
		}
		fmt.Fprintln(stdout, u.ID)
	default:
		return &exitError{code: 2, msg: "onbekende admin-opdracht: " + sub}
	}
	return nil
}

func auditCmd(ctx context.Context, cfg app.Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return &exitError{code: 2, msg: "gebruik: weerbaar audit verify [--party ID]"}
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	party := fs.String("party", "", "partij-id (standaard: alle partijen)")
	if err := fs.Parse(args[1:]); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	log := app.NewLogger(cfg, os.Stderr)
	s, err := app.Open(ctx, cfg, log, app.Options{StoreOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	var ids []string
	if *party != "" {
		ids = []string{*party}
	} else {
		ps, err := s.Store.Parties(ctx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
	}
	broken := 0
	for _, id := range ids {
		seq, err := s.Store.VerifyAudit(ctx, id)
		if err != nil {
			return err
		}
		if seq > 0 {
			broken++
			fmt.Fprintf(stdout, "partij %s: keten gebroken bij gebeurtenis %d\n", id, seq)
		} else {
			fmt.Fprintf(stdout, "partij %s: in orde\n", id)
		}
	}
	if broken > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d partij(en) met een gebroken auditketen", broken)}
	}
	return nil
}

func retentionCmd(ctx context.Context, cfg app.Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "alleen tonen wat zou worden verwijderd")
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	log := app.NewLogger(cfg, os.Stderr)
	s, err := app.Open(ctx, cfg, log, app.Options{StoreOnly: true, Migrate: cfg.Embedded()})
	if err != nil {
		return err
	}
	defer s.Close()
	items, err := s.Store.RetentionDue(ctx)
	if err != nil {
		return err
	}
	for _, it := range items {
		fmt.Fprintf(stdout, "kandidaat %s  partij %s  status %s  sinds %s  termijn voorbij op %s\n",
			it.CandidateID, it.PartyID, it.Status, it.Since.Format("2006-01-02"), it.DueAt.Format("2006-01-02"))
	}
	if *dry {
		fmt.Fprintf(stdout, "%d dossier(s) zouden worden verwijderd (proefdraai: er is niets verwijderd)\n", len(items))
		return nil
	}
	n, err := s.Store.PurgeDue(ctx)
	fmt.Fprintf(stdout, "%d dossier(s) verwijderd\n", n)
	return err
}
