package mail

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/weerbaar/weerbaar/i18n"
	"github.com/weerbaar/weerbaar/questionnaires"
)

// Every mail is built from a body (a list of blocks) and rendered twice,
// through the plain-text and the HTML layout, so both parts always say the
// same. Values that people typed (names, party, round) go through oneLine
// and, in HTML, through html/template's escaping.
//
// Never put answers, levels, flags, VOG details, reasons or outcomes in a
// mail: the tests reject words such as "oranje", "rood" and "negatief".

//go:embed templates/*.tmpl
var templateFS embed.FS

var (
	textLayout = texttemplate.Must(texttemplate.New("layout.txt.tmpl").ParseFS(templateFS, "templates/layout.txt.tmpl"))
	htmlLayout = htmltemplate.Must(htmltemplate.New("layout.html.tmpl").ParseFS(templateFS, "templates/layout.html.tmpl"))
)

// block is one piece of a mail body: a paragraph, a sub-heading or a link.
type block struct {
	Kind string // "p", "h2" or "link"
	Text string // paragraph, heading, or the sentence before the link
	URL  string // link only
	Btn  string // link only: the button text in HTML
	Lang string // set when the block is in another language than the mail (lang attribute in HTML)
}

// body is what the layouts render.
type body struct {
	Lang     string // "nl" or "en": the mail's language (see lang.go)
	Subject  string
	Party    string
	Heading  string
	Greeting string
	Blocks   []block
	Footer   string
	// Closing and ButtonHelp are the layouts' own words, in Lang.
	Closing    string
	ButtonHelp string
}

func p(text string) block  { return block{Kind: "p", Text: text} }
func h2(text string) block { return block{Kind: "h2", Text: text} }
func link(text, url, btn string) block {
	return block{Kind: "link", Text: text, URL: oneLine(url), Btn: btn}
}

// greeting is the Dutch greeting (the committee's and board's mails).
func greeting(name string) string { return greetingIn(i18n.NL, name) }

func greetingIn(lang, name string) string {
	if name = oneLine(name); name == "" {
		return tr(lang, "Beste lezer,")
	}
	return tr(lang, "Beste %s,", name)
}

// render fills both layouts. To stays empty: the caller sets it. A body
// without Lang is Dutch.
func render(b body) Message {
	b.Lang = i18n.Normalize(b.Lang)
	b.Subject = oneLine(b.Subject)
	b.Party = oneLine(b.Party)
	b.Footer = tr(b.Lang, "Deze e-mail is verstuurd door Weerbaar namens %s. Beantwoorden kan niet.", b.Party)
	if b.Party == platform {
		b.Footer = tr(b.Lang, "Deze e-mail is verstuurd door Weerbaar. Beantwoorden kan niet.")
	}
	b.Closing = tr(b.Lang, "Met vriendelijke groet,")
	b.ButtonHelp = tr(b.Lang, "Werkt de knop niet? Kopieer dan deze link naar uw browser:")
	var txt, html bytes.Buffer
	if err := textLayout.Execute(&txt, b); err != nil {
		panic("mail: text layout: " + err.Error()) // static template and data: a bug
	}
	if err := htmlLayout.Execute(&html, b); err != nil {
		panic("mail: html layout: " + err.Error())
	}
	return Message{Subject: b.Subject, Text: txt.String(), HTML: html.String()}
}

// oneLine folds all whitespace (CR, LF, tabs, runs of spaces) into single
// spaces and drops other control characters, so a name cannot add a header
// line or fake paragraphs.
func oneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r):
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

func quoted(s string) string { return "\u201c" + oneLine(s) + "\u201d" }

const doNotForward = "Stuur deze e-mail niet door. De link is alleen voor u: wie de link heeft, kan uw antwoorden zien en veranderen."

// InvitationData fills the candidate's invitation.
type InvitationData struct {
	Party, Candidate, Round, Office, Link string
	Expires                               time.Time // when the link stops working
	Deadline                              time.Time // the last day to submit (shown as a date)
	// Lang is the candidate's language (empty: Dutch). A Dutch invitation
	// also says, in English, that the scan is available in English: the
	// first one goes out before the candidate could choose.
	Lang string
}

// Invitation invites a candidate to fill in the scan.
func Invitation(d InvitationData) Message {
	l := i18n.Normalize(d.Lang)
	party := oneLine(d.Party)
	round := tr(l, "Dit hoort bij de selectieronde %s.", quoted(d.Round))
	if o := oneLine(d.Office); o != "" {
		round = tr(l, "Dit hoort bij de selectieronde %s voor de functie van %s.", quoted(d.Round), officeIn(l, o))
	}
	blocks := []block{
		p(tr(l, "%s nodigt u uit om de weerbaarheidsscan in te vullen.", party) + " " + round),
		p(tr(l, "De scan is een vragenlijst over uw werk, nevenfuncties, financiële belangen, netwerk en weerbaarheid. "+
			"Zo ziet u samen met de partij op tijd waar u als politicus onder druk gezet kunt worden.")),
		h2(tr(l, "Wie leest uw antwoorden?")),
		p(tr(l, "Alleen de selectiecommissie van %s leest uw antwoorden. "+
			"Het partijbestuur ziet uw antwoorden niet. Het bestuur krijgt alleen het eindadvies van de commissie.", party)),
		h2(tr(l, "Wanneer?")),
		p(tr(l, "Vul de scan in en stuur hem uiterlijk op %s in.", dateIn(l, d.Deadline))),
		link(tr(l, "Open de scan met uw persoonlijke link:"), d.Link, tr(l, "Scan openen")),
		p(tr(l, "De link werkt tot %s.", dateTimeIn(l, d.Expires)) + " " +
			tr(l, "U hoeft de scan niet in één keer in te vullen. Uw antwoorden worden steeds bewaard. "+
				"U kunt stoppen en later verdergaan met dezelfde link.")),
		p(tr(l, doNotForward)),
		p(tr(l, "Heeft u vragen over de scan? Neem dan contact op met uw contactpersoon bij %s.", party)),
	}
	if l == i18n.NL {
		blocks = append(blocks, inLang(p(alsoInEnglish), i18n.EN))
	}
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Uitnodiging weerbaarheidsscan – %s", party),
		Party:    party,
		Heading:  tr(l, "Uitnodiging voor de weerbaarheidsscan"),
		Greeting: greetingIn(l, d.Candidate),
		Blocks:   blocks,
	})
}

// alsoInEnglish closes a Dutch invitation, in English: the candidate picks
// the language on the scan's pages.
const alsoInEnglish = "This invitation is also available in English: open the scan with the link above and choose \u201cEnglish\u201d on the page. " +
	"The scan, its pages and the next e-mails will then be in English."

// officeIn names a round's office in the mail's language
// (questionnaires.AllOffices); an unknown id stays as it is.
func officeIn(lang, office string) string {
	info, ok := questionnaires.Office(office)
	switch {
	case !ok:
		return office
	case i18n.Normalize(lang) == i18n.EN:
		return info.PhraseEN
	}
	return info.Phrase
}

// SetupData fills the account mail for a board or committee member.
type SetupData struct {
	Party, Name, Role, Link string // Role: "bestuur" or "commissie"
	Expires                 time.Time
}

// AccountSetup asks a new board or committee member to choose a password.
func AccountSetup(d SetupData) Message {
	party := oneLine(d.Party)
	var joined string
	switch d.Role {
	case "bestuur":
		joined = "U bent toegevoegd aan het partijbestuur van " + party + " in Weerbaar."
	case "commissie":
		joined = "U bent toegevoegd aan de selectiecommissie van " + party + " in Weerbaar."
	default:
		joined = "U heeft een account gekregen voor " + party + " in Weerbaar."
	}
	return render(body{
		Subject:  "Uw account voor Weerbaar – " + party,
		Party:    party,
		Heading:  "Uw account voor Weerbaar",
		Greeting: greeting(d.Name),
		Blocks: []block{
			p(joined + " Met Weerbaar vullen kandidaten de weerbaarheidsscan in."),
			link("Kies eerst uw wachtwoord via deze link:", d.Link, "Wachtwoord kiezen"),
			p("De link werkt één keer, tot " + dutchDateTime(d.Expires) + ". " +
				"Is de link verlopen? Vraag dan een nieuwe link aan degene die u heeft toegevoegd."),
			p("Had u deze e-mail niet verwacht? Gebruik de link dan niet."),
		},
	})
}

// platform signs the mails about an account itself (not about a party).
const platform = "Weerbaar"

// PasswordResetData fills the mail with a link to choose a new password.
type PasswordResetData struct {
	Name, Link string
	Expires    time.Time
}

// PasswordReset brings the link to choose a new password.
func PasswordReset(d PasswordResetData) Message {
	return render(body{
		Subject:  "Nieuw wachtwoord kiezen voor Weerbaar",
		Party:    platform,
		Heading:  "Nieuw wachtwoord kiezen",
		Greeting: greeting(d.Name),
		Blocks: []block{
			p("Iemand heeft gevraagd om een nieuw wachtwoord voor uw account bij Weerbaar."),
			link("Kies een nieuw wachtwoord via deze link:", d.Link, "Nieuw wachtwoord kiezen"),
			p("De link werkt één keer, tot " + dutchDateTime(d.Expires) + ". Daarna moet u opnieuw inloggen op al uw apparaten. " +
				"Gebruikt u tweestapsverificatie? Dan blijft die aan."),
			p("Heeft u dit niet zelf gevraagd? Gebruik de link dan niet. Uw wachtwoord blijft dan hetzelfde."),
		},
	})
}

// PasswordChangedData fills the notice after a password change.
type PasswordChangedData struct {
	Name string
	At   time.Time
}

// PasswordChanged tells the owner that the password of the account changed.
func PasswordChanged(d PasswordChangedData) Message {
	how := "Het wachtwoord van uw account bij Weerbaar is gewijzigd op " + dutchDateTime(d.At) + "."
	return render(body{
		Subject:  "Uw wachtwoord voor Weerbaar is gewijzigd",
		Party:    platform,
		Heading:  "Uw wachtwoord is gewijzigd",
		Greeting: greeting(d.Name),
		Blocks: []block{
			p(how + " U bent op uw andere apparaten uitgelogd."),
			p("Was u dit zelf? Dan hoeft u niets te doen."),
			p("Was u dit niet? Vraag dan meteen een nieuw wachtwoord aan via \u201cWachtwoord vergeten\u201d op de inlogpagina, " +
				"en meld het aan uw partijbestuur."),
		},
	})
}

// ReminderData fills the reminder to a candidate who has not submitted yet.
type ReminderData struct {
	Party, Candidate, Round, Link string
	Expires, Deadline             time.Time
	DaysLeft                      int
	Lang                          string // the candidate's language (empty: Dutch)
}

// Reminder reminds a candidate of the deadline and brings a new link.
func Reminder(d ReminderData) Message {
	l := i18n.Normalize(d.Lang)
	party := oneLine(d.Party)
	var first string
	switch {
	case d.DaysLeft <= 0:
		first = tr(l, "Vandaag is de laatste dag om de weerbaarheidsscan in te vullen voor de selectieronde %s.", quoted(d.Round))
	case d.DaysLeft == 1:
		first = tr(l, "U heeft nog 1 dag om de weerbaarheidsscan in te vullen voor de selectieronde %s.", quoted(d.Round))
	default:
		first = tr(l, "U heeft nog %d dagen om de weerbaarheidsscan in te vullen voor de selectieronde %s.", d.DaysLeft, quoted(d.Round))
	}
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Herinnering: weerbaarheidsscan – %s", party),
		Party:    party,
		Heading:  tr(l, "Herinnering: weerbaarheidsscan"),
		Greeting: greetingIn(l, d.Candidate),
		Blocks: []block{
			p(first + " " + tr(l, "Stuur de scan uiterlijk op %s in.", dateIn(l, d.Deadline))),
			p(tr(l, "U krijgt van ons een nieuwe persoonlijke link. Eerdere links werken niet meer. "+
				"Wat u al heeft ingevuld, blijft bewaard.")),
			link(tr(l, "Ga verder met de scan via deze link:"), d.Link, tr(l, "Verder met de scan")),
			p(tr(l, "De link werkt tot %s.", dateTimeIn(l, d.Expires))),
			p(tr(l, doNotForward)),
			p(tr(l, "Heeft u de scan net ingestuurd? Dan hoeft u niets meer te doen.")),
		},
	})
}

// ReceiptData fills the confirmation after a candidate submitted.
type ReceiptData struct {
	Party, Candidate, Round string
	SubmittedAt             time.Time
	NewLinkURL              string // the page where the candidate asks for a new link
	Lang                    string // the candidate's language (empty: Dutch)
}

// Receipt confirms a submission and says what happens next.
func Receipt(d ReceiptData) Message {
	l := i18n.Normalize(d.Lang)
	party := oneLine(d.Party)
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Uw weerbaarheidsscan is ontvangen – %s", party),
		Party:    party,
		Heading:  tr(l, "Uw weerbaarheidsscan is ontvangen"),
		Greeting: greetingIn(l, d.Candidate),
		Blocks: []block{
			p(tr(l, "Bedankt. Wij hebben uw weerbaarheidsscan voor de selectieronde %s ontvangen op %s.", quoted(d.Round), dateTimeIn(l, d.SubmittedAt))),
			h2(tr(l, "Wat gebeurt er nu?")),
			p(tr(l, "De selectiecommissie van %s leest uw antwoorden. Alleen de commissie kan ze zien.", party)),
			p(tr(l, "De commissie kan u uitnodigen voor een gesprek over uw antwoorden.")),
			p(tr(l, "Heeft de commissie vragen over uw antwoorden? Dan hoort u dat altijd eerst. "+
				"U kunt dan reageren voordat de commissie haar eindadvies geeft.")),
			p(tr(l, "Het partijbestuur ziet uw antwoorden niet. Het bestuur krijgt alleen het eindadvies.")),
			h2(tr(l, "Uw gegevens")),
			p(tr(l, "De link uit de uitnodiging werkt nu niet meer. Zo kan niemand anders met een oude e-mail uw scan openen.")),
			newLinkBlock(l, d.NewLinkURL, tr(l, "Wilt u later uw gegevens downloaden of zich terugtrekken uit de selectie? Vraag dan een nieuwe persoonlijke link aan:")),
		},
	})
}

// newLinkBlock points to the page where a candidate asks for a new link.
func newLinkBlock(lang, url, text string) block {
	if url == "" {
		return p(text + " " + tr(lang, "dat kan op de website van Weerbaar."))
	}
	return link(text, url, tr(lang, "Nieuwe link aanvragen"))
}

// LinkData fills the mail with a link the candidate asked for.
type LinkData struct {
	Party, Candidate, Round, Link string
	Expires                       time.Time
	Lang                          string // the candidate's language (empty: Dutch)
}

// NewLink brings the link a candidate asked for on the website.
func NewLink(d LinkData) Message {
	l := i18n.Normalize(d.Lang)
	party := oneLine(d.Party)
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Nieuwe link voor uw weerbaarheidsscan – %s", party),
		Party:    party,
		Heading:  tr(l, "Uw nieuwe link"),
		Greeting: greetingIn(l, d.Candidate),
		Blocks: []block{
			p(tr(l, "U hebt een nieuwe link gevraagd voor uw weerbaarheidsscan in de selectieronde %s.", quoted(d.Round))),
			link(tr(l, "Open uw scan met deze link:"), d.Link, tr(l, "Scan openen")),
			p(tr(l, "De link werkt tot %s. Daarna kunt u een nieuwe link aanvragen.", dateTimeIn(l, d.Expires)) + " " +
				tr(l, "Met de link kunt u uw gegevens downloaden en zien wie uw dossier heeft gelezen.")),
			p(tr(l, doNotForward)),
			p(tr(l, "Hebt u geen link gevraagd? Dan hoeft u niets te doen. Zonder deze e-mail kan niemand de link gebruiken.")),
		},
	})
}

// ReopenData fills the mail that the committee sent the scan back.
type ReopenData struct {
	Party, Candidate, Round, Link string
	Expires                       time.Time
	Lang                          string // the candidate's language (empty: Dutch)
}

// ReopenNotice tells a candidate that the committee asks for changes. The
// committee's message is only behind the link.
func ReopenNotice(d ReopenData) Message {
	l := i18n.Normalize(d.Lang)
	party := oneLine(d.Party)
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Uw weerbaarheidsscan is teruggestuurd – %s", party),
		Party:    party,
		Heading:  tr(l, "Uw scan is teruggestuurd"),
		Greeting: greetingIn(l, d.Candidate),
		Blocks: []block{
			p(tr(l, "De selectiecommissie van %s vraagt u om uw weerbaarheidsscan voor de selectieronde %s aan te vullen of te verbeteren.", party, quoted(d.Round))),
			p(tr(l, "Om uw privacy te beschermen, staat het bericht van de commissie niet in deze e-mail.")),
			link(tr(l, "Lees het bericht en pas uw antwoorden aan via deze link:"), d.Link, tr(l, "Scan openen")),
			p(tr(l, "De link werkt tot %s. Stuur de scan daarna opnieuw in.", dateTimeIn(l, d.Expires))),
			p(tr(l, doNotForward)),
		},
	})
}

// HearingData fills the mail that asks a candidate to respond to the committee.
type HearingData struct {
	Party, Candidate, Link string
	ReplyDue               time.Time // the last day to reply (shown as a date)
	Lang                   string    // the candidate's language (empty: Dutch)
}

// HearingNotice tells a candidate that the committee has questions. The
// questions themselves are only behind the link.
func HearingNotice(d HearingData) Message {
	l := i18n.Normalize(d.Lang)
	party := oneLine(d.Party)
	return render(body{
		Lang:     l,
		Subject:  tr(l, "Vragen van de selectiecommissie – %s", party),
		Party:    party,
		Heading:  tr(l, "De selectiecommissie heeft vragen"),
		Greeting: greetingIn(l, d.Candidate),
		Blocks: []block{
			p(tr(l, "De selectiecommissie van %s heeft uw weerbaarheidsscan gelezen.", party) + " " +
				tr(l, "De commissie heeft vragen over een aantal van uw antwoorden. "+
					"U krijgt de kans om daarop te reageren voordat de commissie haar eindadvies geeft.")),
			p(tr(l, "Om uw privacy te beschermen, staan de vragen niet in deze e-mail.")),
			link(tr(l, "Lees de vragen en geef uw schriftelijke reactie via deze link:"), d.Link, tr(l, "Vragen bekijken")),
			p(tr(l, "Reageer uiterlijk op %s. Uw reactie komt in uw dossier.", dateIn(l, d.ReplyDue)) + " " +
				tr(l, "De commissie leest uw reactie voordat zij een besluit neemt.")),
			p(tr(l, doNotForward)),
		},
	})
}

// ProfileReadyData fills the notice to a committee member.
type ProfileReadyData struct {
	Party, Member, Candidate, Round, Link string
}

// ProfileReady tells a committee member that a candidate's file is ready.
func ProfileReady(d ProfileReadyData) Message {
	party, cand := oneLine(d.Party), oneLine(d.Candidate)
	return render(body{
		Subject:  "Profiel klaar: " + cand + " – " + party,
		Party:    party,
		Heading:  "Profiel klaar om te bekijken",
		Greeting: greeting(d.Member),
		Blocks: []block{
			p("Het dossier van " + cand + " in de selectieronde " + quoted(d.Round) + " is klaar. " +
				"U kunt het nu bekijken in Weerbaar."),
			link("Bekijk het dossier via deze link:", d.Link, "Dossier bekijken"),
			p("Om de privacy van de kandidaat te beschermen, staat de inhoud niet in deze e-mail. " +
				"U moet inloggen om het dossier te lezen."),
			p("Kent u de kandidaat persoonlijk, of heeft u een ander belang? " +
				"Meld u dan in Weerbaar af voor dit dossier."),
		},
	})
}

// AdviceData fills the notice to a board member.
type AdviceData struct {
	Party, Member, Candidate, Round, Link string
}

// AdviceAvailable tells a board member that the committee released its
// final advice about a candidate. It never says what the advice is.
func AdviceAvailable(d AdviceData) Message {
	party, cand := oneLine(d.Party), oneLine(d.Candidate)
	return render(body{
		Subject:  "Advies beschikbaar: " + cand + " – " + party,
		Party:    party,
		Heading:  "Eindadvies beschikbaar",
		Greeting: greeting(d.Member),
		Blocks: []block{
			p("De selectiecommissie heeft haar eindadvies over " + cand + " in de selectieronde " +
				quoted(d.Round) + " gedeeld met het partijbestuur."),
			link("Lees het eindadvies via deze link:", d.Link, "Eindadvies lezen"),
			p("Om de privacy van de kandidaat te beschermen, staat het eindadvies niet in deze e-mail. " +
				"U moet inloggen om het te lezen."),
		},
	})
}

// roleNL names a party role in a sentence ("het partijbestuur").
func roleNL(role string) string {
	switch role {
	case "bestuur":
		return "het partijbestuur"
	case "commissie":
		return "de selectiecommissie"
	}
	return "de partij"
}

// MembershipData fills the mail that asks someone who already has an
// account to accept a membership of a party.
type MembershipData struct {
	Party, Name, Role, Link string // Role: "bestuur" or "commissie"
	Expires                 time.Time
	// NeedsPassword: the account has no password yet; the link's page
	// asks for one.
	NeedsPassword bool
}

// MembershipInvite asks a person to accept a membership. Nothing changes
// until they follow the link.
func MembershipInvite(d MembershipData) Message {
	party, role := oneLine(d.Party), roleNL(d.Role)
	step := "Wilt u meedoen? Aanvaard de uitnodiging via deze link:"
	btn := "Uitnodiging aanvaarden"
	if d.NeedsPassword {
		step = "Wilt u meedoen? Kies uw wachtwoord en aanvaard de uitnodiging via deze link:"
		btn = "Wachtwoord kiezen en aanvaarden"
	}
	return render(body{
		Subject:  "Uitnodiging voor " + role + " – " + party,
		Party:    party,
		Heading:  "Uitnodiging voor " + role,
		Greeting: greeting(d.Name),
		Blocks: []block{
			p(party + " wil u toevoegen aan " + role + " in Weerbaar. Met Weerbaar vullen kandidaten de weerbaarheidsscan in."),
			p("U bent pas lid als u de uitnodiging aanvaardt. Tot dan kunt u niets zien van " + party + "."),
			link(step, d.Link, btn),
			p("De link werkt één keer, tot " + dutchDateTime(d.Expires) + "."),
			p("Had u deze e-mail niet verwacht? Gebruik de link dan niet. Er verandert dan niets."),
		},
	})
}

// CommitteeChangeData fills the notice about a change to the committee.
type CommitteeChangeData struct {
	Party, Recipient string
	// Action: voorgesteld, bevestigd, afgewezen, toegevoegd (to the
	// committee) or bestuur (to the board, for a party without a committee).
	Action string
	// Member and Email are the new member as the adder typed them; Actor
	// is who did it.
	Member, Email, Actor string
	Link                 string // the committee's member page (or the board's home)
}

// CommitteeChange tells every committee member (and, for a first
// committee, the board) what changed in the committee, so that nobody can
// add a login for themselves unseen.
func CommitteeChange(d CommitteeChangeData) Message {
	party, member, actor := oneLine(d.Party), oneLine(d.Member), oneLine(d.Actor)
	who := member + " (" + oneLine(d.Email) + ")"
	var subject, heading string
	var blocks []block
	check := p("Kent u deze persoon niet, of is dit e-mailadres niet van hem of haar? Neem dan contact op met de andere commissieleden en met het partijbestuur.")
	switch d.Action {
	case "voorgesteld":
		subject, heading = "Voorstel nieuw lid selectiecommissie: "+member, "Voorstel voor een nieuw commissielid"
		blocks = []block{
			p(actor + " stelt voor om " + who + " toe te voegen aan de selectiecommissie van " + party + "."),
			p("Een ander lid van de commissie moet dit voorstel bevestigen. Pas daarna krijgt de nieuwe persoon een e-mail en toegang tot de dossiers."),
			check,
			link("Bekijk het voorstel en bevestig het of wijs het af:", d.Link, "Voorstel bekijken"),
		}
	case "bevestigd":
		subject, heading = "Nieuw lid selectiecommissie bevestigd: "+member, "Nieuw commissielid bevestigd"
		blocks = []block{
			p(actor + " heeft bevestigd dat " + who + " lid wordt van de selectiecommissie van " + party + "."),
			p("De nieuwe persoon krijgt nu een e-mail om het lidmaatschap te aanvaarden. Daarna kan hij of zij de dossiers lezen."),
			check,
			link("Bekijk de leden van de commissie:", d.Link, "Leden bekijken"),
		}
	case "afgewezen":
		subject, heading = "Afgewezen: nieuw lid selectiecommissie "+member, "Voorstel afgewezen"
		blocks = []block{
			p(actor + " heeft het voorstel afgewezen om " + who + " toe te voegen aan de selectiecommissie van " + party + "."),
			p("Deze persoon krijgt geen toegang."),
			link("Bekijk de leden van de commissie:", d.Link, "Leden bekijken"),
		}
	case "bestuur":
		subject, heading = "Nieuw lid van de selectiecommissie: "+member, "Nieuw lid van de selectiecommissie"
		blocks = []block{
			p(actor + " heeft " + who + " toegevoegd aan de selectiecommissie van " + party + ". De partij had nog geen actieve selectiecommissie."),
			p("Het partijbestuur leest geen dossiers. Wij laten het u weten, zodat u kunt nagaan of dit klopt."),
			p("Kent u deze persoon niet, of is dit e-mailadres niet van hem of haar? Neem dan direct contact op met de beheerder van Weerbaar."),
		}
	default: // toegevoegd
		subject, heading = "Nieuw lid selectiecommissie: "+member, "Nieuw commissielid"
		blocks = []block{
			p(actor + " heeft " + who + " toegevoegd aan de selectiecommissie van " + party + "."),
			check,
			link("Bekijk de leden van de commissie:", d.Link, "Leden bekijken"),
		}
	}
	return render(body{
		Subject:  subject + " – " + party,
		Party:    party,
		Heading:  heading,
		Greeting: greeting(d.Recipient),
		Blocks:   blocks,
	})
}
