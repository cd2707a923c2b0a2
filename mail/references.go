package mail

import (
	"time"

	"github.com/weerbaar/weerbaar/i18n"
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
	Lang                    string // the candidate's language (empty: Dutch)
}

// ReferencesAsked asks a candidate to name referents and to consent.
func ReferencesAsked(d ReferencesAskedData) Message {
	l := i18n.Normalize(d.Lang)
	party := oneLine(d.Party)
	ask := tr(l, "De selectiecommissie van %s vraagt u om %d referenten te noemen voor de selectieronde %s.", party, d.Wanted, quoted(d.Round))
	if d.Wanted == 1 {
		ask = tr(l, "De selectiecommissie van %s vraagt u om 1 referent te noemen voor de selectieronde %s.", party, quoted(d.Round))
	}
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Referenties gevraagd – %s", party),
		Party:    party,
		Heading:  tr(l, "De selectiecommissie vraagt om referenties"),
		Greeting: greetingIn(l, d.Candidate),
		Blocks: []block{
			p(ask + " " + tr(l, "Een referent is iemand die u goed kent uit uw werk, een bestuur of een vereniging. Geen familie.")),
			h2(tr(l, "Wat vragen we van u?")),
			p(tr(l, "Geef van elke referent de naam, het e-mailadres en hoe hij of zij u kent. "+
				"Geef ook toestemming om deze mensen te benaderen. De commissie bepaalt wanneer zij de verzoeken verstuurt.")),
			h2(tr(l, "Wat ziet u daarna?")),
			p(tr(l, "U ziet wie is gevraagd en of er een antwoord is. Wat uw referenten antwoorden, leest alleen de selectiecommissie. "+
				"Het partijbestuur ziet het niet.")),
			newLinkBlock(l, d.NewLinkURL, tr(l, "Open uw scan met de link uit uw uitnodiging en kies „Referenties”. Werkt die link niet meer? Vraag dan een nieuwe persoonlijke link aan:")),
		},
	})
}

// A referent is another person than the candidate, and nobody asked them
// which language they read. Their mails are in the candidate's language
// (the candidate named them and knows which language they share; an
// English-speaking candidate's referents are often abroad) and end with one
// short paragraph in the other language that points to the language
// switch on the form, so a referent who reads only the other language still
// knows what the mail is and where to go.

// ReferenceRequestData fills the request to a referent.
type ReferenceRequestData struct {
	Party, Referent, Candidate, Office, Link string
	Expires                                  time.Time
	Lang                                     string // the candidate's language (empty: Dutch)
}

const referentNoForward = "Stuur deze e-mail niet door. De link is alleen voor u en werkt één keer."

// referentOtherLanguage is the closing paragraph of a referent's mail, in
// the other language: English under a Dutch mail, Dutch under an English one.
func referentOtherLanguage(lang string) block {
	if i18n.Normalize(lang) == i18n.EN {
		return inLang(p(referentAlsoInDutch), i18n.NL)
	}
	return inLang(p(referentAlsoInEnglish), i18n.EN)
}

const (
	referentAlsoInEnglish = "This request is also available in English: the questions behind the link above can be shown in English (choose \u201cEnglish\u201d on the page)."
	referentAlsoInDutch   = "Dit verzoek is er ook in het Nederlands: de vragen achter de link hierboven kunt u in het Nederlands lezen (kies \u201cNederlands\u201d op de pagina)."
)

// ReferenceRequest asks a referent to answer the short questionnaire.
func ReferenceRequest(d ReferenceRequestData) Message {
	l := i18n.Normalize(d.Lang)
	party, cand := oneLine(d.Party), oneLine(d.Candidate)
	role := tr(l, "een politieke functie")
	if o := oneLine(d.Office); o != "" {
		role = tr(l, "de functie van %s", officeIn(l, o))
	}
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Verzoek om een referentie voor %s – %s", cand, party),
		Party:    party,
		Heading:  tr(l, "Verzoek om een referentie"),
		Greeting: greetingIn(l, d.Referent),
		Blocks: []block{
			p(tr(l, "%s is kandidaat voor %s bij %s. %s heeft u opgegeven als referent en heeft toestemming gegeven om u te benaderen.", cand, role, party, cand)),
			p(tr(l, "De selectiecommissie van %s stelt u graag een paar korte vragen: hoe u de kandidaat kent, "+
				"en hoe de kandidaat omgaat met integriteit, druk en belangen van anderen. Het invullen duurt ongeveer 10 minuten.", party)),
			h2(tr(l, "Wat gebeurt er met uw antwoorden?")),
			p(tr(l, "Alleen de selectiecommissie leest uw antwoorden. De kandidaat ziet dat u bent gevraagd en of u hebt geantwoord, "+
				"maar niet wat u hebt geantwoord. Uw antwoorden worden versleuteld bewaard en samen met het dossier van de kandidaat verwijderd.")),
			link(tr(l, "Beantwoord de vragen via deze link:"), d.Link, tr(l, "Vragen beantwoorden")),
			p(tr(l, "De link werkt tot %s. Meedoen is vrijwillig: wilt u niet antwoorden, dan hoeft u niets te doen.", dateTimeIn(l, d.Expires))),
			p(tr(l, referentNoForward)),
			referentOtherLanguage(l),
		},
	})
}

// ReferenceReminderData fills the reminder to a referent.
type ReferenceReminderData struct {
	Party, Referent, Candidate, Link string
	Expires                          time.Time
	DaysLeft                         int
	Lang                             string // the candidate's language (empty: Dutch)
}

// ReferenceReminder reminds a referent and brings a new link.
func ReferenceReminder(d ReferenceReminderData) Message {
	l := i18n.Normalize(d.Lang)
	party, cand := oneLine(d.Party), oneLine(d.Candidate)
	left := tr(l, "U hebt nog %d dagen om de vragen te beantwoorden.", d.DaysLeft)
	if d.DaysLeft == 1 {
		left = tr(l, "U hebt nog 1 dag om de vragen te beantwoorden.")
	}
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Herinnering: referentie voor %s – %s", cand, party),
		Party:    party,
		Heading:  tr(l, "Herinnering: verzoek om een referentie"),
		Greeting: greetingIn(l, d.Referent),
		Blocks: []block{
			p(tr(l, "Enige tijd geleden vroeg de selectiecommissie van %s u om een referentie voor %s.", party, cand) + " " + left),
			p(tr(l, "U krijgt van ons een nieuwe persoonlijke link. Eerdere links werken niet meer.")),
			link(tr(l, "Beantwoord de vragen via deze link:"), d.Link, tr(l, "Vragen beantwoorden")),
			p(tr(l, "De link werkt tot %s. Meedoen is vrijwillig: wilt u niet antwoorden, dan hoeft u niets te doen.", dateTimeIn(l, d.Expires))),
			p(tr(l, referentNoForward)),
			referentOtherLanguage(l),
		},
	})
}
