package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/weerbaar/weerbaar/models"
	"github.com/weerbaar/weerbaar/screening"
	"github.com/weerbaar/weerbaar/secure"
)

type ownCandidateView struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Email       string     `json:"email"`
	Status      string     `json:"status"`
	ConsentAt   *time.Time `json:"consent_at"`
	SubmittedAt *time.Time `json:"submitted_at"`
	Language    string     `json:"language"` // "nl" or "en": the candidate's pages and mails (PATCH /me)
}

func ownView(k *models.Candidate) ownCandidateView {
	return ownCandidateView{ID: k.ID, Name: k.Name, Email: k.Email, Status: string(k.Status), ConsentAt: k.ConsentAt, SubmittedAt: k.SubmittedAt,
		Language: models.CandidateLanguage(k)}
}

func (h *Handler) accept(c *fiber.Ctx) error {
	sess, k, err := h.app.Accept(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	h.setSessionCookie(c, sess)
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"token": sess, "csrf_token": CSRFToken(sess), "candidate": ownView(k)})
}

// fresh re-reads the caller's candidate record (the session's copy may be
// older than a transition in this request's predecessors).
func (h *Handler) fresh(c *fiber.Ctx) (*models.Candidate, error) {
	return h.store.Candidate(c.UserContext(), candOf(c).ID)
}

func (h *Handler) myQuestionnaire(c *fiber.Ctx) error {
	in, err := h.store.CompileInput(c.UserContext(), candOf(c).ID)
	if err != nil {
		return err
	}
	k, def, round, party, ans := in.Candidate, in.Def, in.Round, in.Party, in.Answers
	answered, total := def.Progress(ans)
	msg, err := h.store.ReopenMessage(k)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{
		"candidate":     ownView(k),
		"party":         party.Name,
		"round":         fiber.Map{"name": round.Name, "office": round.Office, "deadline": round.Deadline},
		"consent":       fiber.Map{"given": k.ConsentAt != nil, "version": def.Privacy.Version, "text": def.Privacy.Text},
		"questionnaire": def,
		"answers":       ans,
		"visible":       def.Visible(ans),
		"missing":       def.Missing(ans),
		"progress":      fiber.Map{"answered": answered, "total": total},
		"editable":      models.Allowed(k.Status, models.ActAnswer),
		"reopen_message": func() any {
			if msg == "" {
				return nil
			}
			return msg
		}(),
	})
}

func (h *Handler) consent(c *fiber.Ctx) error {
	var req screening.ConsentRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.app.Consent(c.UserContext(), candOf(c), req); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"consent_version": req.PrivacyVersion})
}

func (h *Handler) saveAnswers(c *fiber.Ctx) error {
	var req screening.AnswersRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	// The session lookup loaded the candidate in this request; SaveAnswers
	// re-reads it inside its transaction for the status check.
	at, err := h.app.SaveAnswers(c.UserContext(), candOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"saved_at": at, "saved": len(req.Answers)})
}

func (h *Handler) submit(c *fiber.Ctx) error {
	k, err := h.app.Submit(c.UserContext(), candOf(c))
	if err != nil {
		return err
	}
	return c.JSON(ownView(k))
}

func (h *Handler) withdraw(c *fiber.Ctx) error {
	k, err := h.app.Withdraw(c.UserContext(), candOf(c))
	if err != nil {
		return err
	}
	return c.JSON(ownView(k))
}

func (h *Handler) export(c *fiber.Ctx) error {
	ctx := c.UserContext()
	in, err := h.store.CompileInput(ctx, candOf(c).ID)
	if err != nil {
		return err
	}
	k, def, round, party, ans := in.Candidate, in.Def, in.Round, in.Party, in.Answers
	vv, err := h.viewVOG(ctx, k, in.VOG)
	if err != nil {
		return err
	}
	// Log the export before reading the access log, so it lists itself.
	if err := h.store.AuditRead(ctx, k, actor(c), "export.read"); err != nil {
		return err
	}
	log, err := h.auditViews(ctx, k)
	if err != nil {
		return err
	}
	ownNetwork, err := h.store.Network(ctx, k)
	if err != nil {
		return err
	}
	var decision any
	if k.Status == models.StatusDecided {
		if d, err := h.store.LatestDecision(ctx, k); err != nil {
			return err
		} else if d != nil {
			decision = fiber.Map{"outcome": d.Outcome, "decided_at": d.CreatedAt}
		}
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="weerbaarheidsscan-export.json"`)
	return c.JSON(fiber.Map{
		"exported_at": h.store.Now(),
		"candidate": fiber.Map{"id": k.ID, "name": k.Name, "email": k.Email, "status": k.Status, "invited_at": k.CreatedAt,
			"accepted_at": k.AcceptedAt, "submitted_at": k.SubmittedAt, "withdrawn_at": k.WithdrawnAt, "language": models.CandidateLanguage(k)},
		"party":         party.Name,
		"round":         fiber.Map{"name": round.Name, "office": round.Office, "deadline": round.Deadline},
		"consent":       fiber.Map{"version": k.ConsentVersion, "given_at": k.ConsentAt},
		"questionnaire": fiber.Map{"id": def.ID, "version": def.Version},
		"answers":       ans,
		"network":       ownNetwork, // the candidate's own organisations only
		"vog":           vv,
		"decision":      decision,
		"access_log":    log,
	})
}

type linkRequest struct {
	Email string `json:"email" validate:"required,email,max=254"`
}

// LinkRequested is the one answer to a link request, whether the address
// is known or not.
const LinkRequested = "Als dit e-mailadres bij ons bekend is, krijgt u binnen een paar minuten een e-mail met een nieuwe persoonlijke link. De link werkt een uur. Kijkt u ook in uw map met ongewenste e-mail."

// requestLink mails a new short-lived link to every file of the address
// that such a link may open (the invitation link dies on submit).
func (h *Handler) requestLink(c *fiber.Ctx) error {
	var req linkRequest
	if err := h.bind(c, &req); err != nil {
		return err
	}
	if err := h.RequestLinks(c, req.Email); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"message": LinkRequested})
}

// RequestLinks throttles per address (the same for known and unknown
// ones), records the requests and queues their mails (the pages use it too).
func (h *Handler) RequestLinks(c *fiber.Ctx, email string) error {
	if err := h.Throttle(c, LimitLinkEmail, secure.HashToken(models.NormalizeEmail(email))); err != nil {
		return err
	}
	_, err := h.store.RequestLinks(c.UserContext(), email)
	return err
}
