package mail

import (
	"strconv"
	"time"
)

// The mails of the reference flow (issue 13, part 2): the notice to the
// candidate that the committee asks for referents, the request to each
// referent and its reminders. Like every mail: names, dates and links
// only, never what a referent or the candidate answered.

// ReferencesAskedData fills the notice to the candidate.
type ReferencesAskedData struct {
	Party, Candidate, Round string
	Wanted                  int
	NewLinkURL              string // the page where the candidate asks for a new link
}

// ReferencesAsked asks a candidate to name referents and to consent.
func ReferencesAsked(d ReferencesAskedData) Message {
	party := oneLine(d.Party)
	n := strconv.Itoa(d.Wanted) + " referenten"
	if d.Wanted == 1 {
		n = "1 referent"
	}
	return render(body{
		Subject:  "Referenties gevraagd – " + party,
		Party:    party,
		Heading:  "De selectiecommissie vraagt om referenties",
		Greeting: greeting(d.Candidate),
		Blocks: []block{
			p("De selectiecommissie van " + party + " vraagt u om " + n + " te noemen voor de selectieronde " + quoted(d.Round) + ". " +
				"Een referent is iemand die u goed kent uit uw werk, een bestuur of een vereniging. Geen familie."),
			h2("Wat vragen we van u?"),
			p("Geef van elke referent de naam, het e-mailadres en hoe hij of zij u kent. " +
				"Geef ook toestemming om deze mensen te benaderen. De commissie bepaalt wanneer zij de verzoeken verstuurt."),
			h2("Wat ziet u daarna?"),
			p("U ziet wie is gevraagd en of er een antwoord is. Wat uw referenten antwoorden, leest alleen de selectiecommissie. " +
				"Het partijbestuur ziet het niet."),
			newLinkBlock(d.NewLinkURL, "Open uw scan met de link uit uw uitnodiging en kies „Referenties”. Werkt die link niet meer? Vraag dan een nieuwe persoonlijke link aan:"),
		},
	})
}

// ReferenceRequestData fills the request to a referent.
type ReferenceRequestData struct {
	Party, Referent, Candidate, Office, Link string
	Expires                                  time.Time
}

const referentNoForward = "Stuur deze e-mail niet door. De link is alleen voor u en werkt één keer."

// ReferenceRequest asks a referent to answer the short questionnaire.
func ReferenceRequest(d ReferenceRequestData) Message {
	party, cand := oneLine(d.Party), oneLine(d.Candidate)
	role := "een politieke functie"
	if o := officePhrase(oneLine(d.Office)); o != "" {
		role = "de functie van " + o
	}
	return render(body{
		Subject:  "Verzoek om een referentie voor " + cand + " – " + party,
		Party:    party,
		Heading:  "Verzoek om een referentie",
		Greeting: greeting(d.Referent),
		Blocks: []block{
			p(cand + " is kandidaat voor " + role + " bij " + party + ". " + cand + " heeft u opgegeven als referent " +
				"en heeft toestemming gegeven om u te benaderen."),
			p("De selectiecommissie van " + party + " stelt u graag een paar korte vragen: hoe u de kandidaat kent, " +
				"en hoe de kandidaat omgaat met integriteit, druk en belangen van anderen. Het invullen duurt ongeveer 10 minuten."),
			h2("Wat gebeurt er met uw antwoorden?"),
			p("Alleen de selectiecommissie leest uw antwoorden. De kandidaat ziet dat u bent gevraagd en of u hebt geantwoord, " +
				"maar niet wat u hebt geantwoord. Uw antwoorden worden versleuteld bewaard en samen met het dossier van de kandidaat verwijderd."),
			link("Beantwoord de vragen via deze link:", d.Link, "Vragen beantwoorden"),
			p("De link werkt tot " + dutchDateTime(d.Expires) + ". Meedoen is vrijwillig: wilt u niet antwoorden, dan hoeft u niets te doen."),
			p(referentNoForward),
		},
	})
}

// ReferenceReminderData fills the reminder to a referent.
type ReferenceReminderData struct {
	Party, Referent, Candidate, Link string
	Expires                          time.Time
	DaysLeft                         int
}

// ReferenceReminder reminds a referent and brings a new link.
func ReferenceReminder(d ReferenceReminderData) Message {
	party, cand := oneLine(d.Party), oneLine(d.Candidate)
	return render(body{
		Subject:  "Herinnering: referentie voor " + cand + " – " + party,
		Party:    party,
		Heading:  "Herinnering: verzoek om een referentie",
		Greeting: greeting(d.Referent),
		Blocks: []block{
			p("Enige tijd geleden vroeg de selectiecommissie van " + party + " u om een referentie voor " + cand + ". " +
				"U hebt " + dagen(d.DaysLeft) + " om de vragen te beantwoorden."),
			p("U krijgt van ons een nieuwe persoonlijke link. Eerdere links werken niet meer."),
			link("Beantwoord de vragen via deze link:", d.Link, "Vragen beantwoorden"),
			p("De link werkt tot " + dutchDateTime(d.Expires) + ". Meedoen is vrijwillig: wilt u niet antwoorden, dan hoeft u niets te doen."),
			p(referentNoForward),
		},
	})
}
