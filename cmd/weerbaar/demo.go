package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/weerbaar/weerbaar/app"
	"github.com/weerbaar/weerbaar/internal/sample"
	"github.com/weerbaar/weerbaar/mail"
	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
	"github.com/weerbaar/weerbaar/worker"
)

type demoLogin struct{ role, email, password string }

var demoLogins = []demoLogin{
	{"beheerder", "beheer@demo.weerbaar.nl", "demo-beheer-2026"},
	{"bestuur", "bestuur@demo.weerbaar.nl", "demo-bestuur-2026"},
	{"commissie", "commissie1@demo.weerbaar.nl", "demo-commissie-2026"},
	{"commissie", "commissie2@demo.weerbaar.nl", "demo-commissie-2026"},
}

// seedDemo fills an empty embedded database with a party in several states
// and prints how to log in. A second run only prints.
func seedDemo(ctx context.Context, s *app.System, out io.Writer) error {
	st := s.Store
	if _, err := st.UserByEmail(ctx, demoLogins[1].email); err == nil {
		printDemo(s.Cfg, out, "bestaande demogegevens")
		return nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	cli := models.Actor{ID: "demo", Role: models.RoleAdmin}
	if _, err := st.CreateUser(ctx, demoLogins[0].email, "Beheerder Demo", demoLogins[0].password, true); err != nil {
		return err
	}
	party, err := st.CreateParty(ctx, cli, "Demo Partij Utrecht")
	if err != nil {
		return err
	}
	names := []string{"", "Bea Bestuur", "Cor Commissie", "Karin Commissie"}
	roles := []string{"", models.RoleBestuur, models.RoleCommissie, models.RoleCommissie}
	var board models.Actor
	for i := 1; i < len(demoLogins); i++ {
		pw := demoLogins[i].password
		u, _, err := st.AddMember(ctx, cli, party.ID, demoLogins[i].email, names[i], roles[i], &pw)
		if err != nil {
			return err
		}
		if i == 1 {
			board = models.Actor{ID: u.ID, Role: models.RoleBestuur}
		}
	}
	round, err := st.CreateRound(ctx, board, party.ID, models.NewRound{Name: "Gemeenteraad 2026", Office: "raadslid",
		Deadline: st.Now().Add(30 * 24 * time.Hour), QuestionnaireID: "weerbaarheidsscan"})
	if err != nil {
		return err
	}
	type demoCand struct{ name, email, state string }
	cands := []demoCand{
		{"Anna de Vries", "anna@demo.weerbaar.nl", "invited"},
		{"Bram Jansen", "bram@demo.weerbaar.nl", "in_progress"},
		{"Carla Bakker", "carla@demo.weerbaar.nl", "profiled"},
		{"Daan Visser", "daan@demo.weerbaar.nl", "decided"},
	}
	for _, dc := range cands {
		c, err := st.Invite(ctx, board, round, dc.name, dc.email)
		if err != nil {
			return err
		}
		var token string
		err = st.IssueInvitation(ctx, c.ID, c.InviteSeq, func(mc *models.MailContext) error {
			token = mc.Token
			m := mail.Invitation(mail.InvitationData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Office: mc.Round.Office,
				Link: s.Cfg.BaseURL + "/uitnodiging/" + mc.Token, Expires: mc.Expires, Deadline: mc.Round.Deadline, Lang: mc.Candidate.Language})
			m.To = mc.Candidate.Email
			return worker.Outbox{Store: st}.Send(ctx, m)
		})
		if err != nil || dc.state == "invited" {
			if err != nil {
				return err
			}
			continue
		}
		if _, c, err = st.AcceptInvitation(ctx, token); err != nil {
			return err
		}
		if err := st.Consent(ctx, c, 1); err != nil {
			return err
		}
		answers := sample.Flagged()
		if dc.state == "decided" {
			answers = sample.Clean()
		}
		if dc.state == "in_progress" {
			answers = map[string]any{"K1": answers["K1"], "K2": answers["K2"], "K3": answers["K3"]}
		}
		raw := map[string]json.RawMessage{}
		for k, v := range answers {
			b, _ := json.Marshal(v)
			raw[k] = b
		}
		if _, err := st.SaveAnswers(ctx, c, raw); err != nil {
			return err
		}
		if dc.state == "in_progress" {
			continue
		}
		if c, err = st.Submit(ctx, c); err != nil {
			return err
		}
		in, err := st.CompileInput(ctx, c.ID)
		if err != nil {
			return err
		}
		prof, hash, err := screening.Evaluate(in, st.Now())
		if err != nil {
			return err
		}
		if err := screening.SaveNetwork(ctx, st, in); err != nil {
			return err
		}
		if _, err := st.SaveProfile(ctx, c.ID, c.Revision, prof, in.Answers, hash); err != nil {
			return err
		}
		if dc.state == "decided" {
			c, err = st.Candidate(ctx, c.ID)
			if err != nil {
				return err
			}
			// Four eyes: one committee member proposes, the other confirms.
			var members [2]models.Actor
			for i := range members {
				u, err := st.UserByEmail(ctx, demoLogins[2+i].email)
				if err != nil {
					return err
				}
				members[i] = models.Actor{ID: u.ID, Role: models.RoleCommissie}
			}
			if _, err := st.ProposeDecision(ctx, members[0], c, models.Proposal{Outcome: "positief", Reasons: "Geen belemmeringen; gesprek gevoerd.", ReleaseToBoard: true}); err != nil {
				return err
			}
			if _, err := st.ConfirmDecision(ctx, members[1], c); err != nil {
				return err
			}
		}
	}
	// A provincial round (questionnaire version 2): one invited candidate.
	staten, err := st.CreateRound(ctx, board, party.ID, models.NewRound{Name: "Provinciale Staten 2027", Office: "statenlid",
		Deadline: st.Now().Add(30 * 24 * time.Hour), QuestionnaireID: "weerbaarheidsscan"})
	if err != nil {
		return err
	}
	eva, err := st.Invite(ctx, board, staten, "Eva Smit", "eva@demo.weerbaar.nl")
	if err != nil {
		return err
	}
	err = st.IssueInvitation(ctx, eva.ID, eva.InviteSeq, func(mc *models.MailContext) error {
		m := mail.Invitation(mail.InvitationData{Party: mc.Party.Name, Candidate: mc.Candidate.Name, Round: mc.Round.Name, Office: mc.Round.Office,
			Link: s.Cfg.BaseURL + "/uitnodiging/" + mc.Token, Expires: mc.Expires, Deadline: mc.Round.Deadline})
		m.To = mc.Candidate.Email
		return worker.Outbox{Store: st}.Send(ctx, m)
	})
	if err != nil {
		return err
	}
	printDemo(s.Cfg, out, "nieuwe demogegevens aangemaakt")
	return nil
}

func printDemo(cfg app.Config, out io.Writer, what string) {
	fmt.Fprintf(out, "\nWeerbaar demo (%s) — gegevens in %s\n\n", what, cfg.DataDir)
	fmt.Fprintf(out, "Webpagina's:    %s/inloggen\n", cfg.BaseURL)
	fmt.Fprintf(out, "API:            %s/api/v1   (JSON; zie README)\n", cfg.BaseURL)
	fmt.Fprintf(out, "Dev-mailbox:    %s/dev/mail (uitnodigingslinks voor kandidaten)\n\n", cfg.BaseURL)
	fmt.Fprintln(out, "Inloggen (POST /api/v1/session):")
	for _, l := range demoLogins {
		fmt.Fprintf(out, "  %-10s %-30s %s\n", l.role, l.email, l.password)
	}
	fmt.Fprintf(out, "\nVoorbeeld:\n  curl -s -X POST %s/api/v1/session -H 'Content-Type: application/json' \\\n    -d '{\"email\":\"%s\",\"password\":\"%s\"}'\n\n", cfg.BaseURL, demoLogins[2].email, demoLogins[2].password)
	fmt.Fprintln(out, "Kandidaten: Anna (uitgenodigd), Bram (bezig), Carla (profiel met signalen), Daan (advies vrijgegeven);")
	fmt.Fprintln(out, "in de ronde Provinciale Staten 2027 (vragenlijst versie 2): Eva (uitgenodigd).")
	fmt.Fprintln(out, "Een kandidaat opent de scan met de link /uitnodiging/… uit de dev-mailbox.")
}
