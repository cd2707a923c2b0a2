package mail

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
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
}

// body is what the layouts render.
type body struct {
	Subject  string
	Party    string
	Heading  string
	Greeting string
	Blocks   []block
	Footer   string
}

func p(text string) block  { return block{Kind: "p", Text: text} }
func h2(text string) block { return block{Kind: "h2", Text: text} }
func link(text, url, btn string) block {
	return block{Kind: "link", Text: text, URL: oneLine(url), Btn: btn}
}
func greeting(name string) string {
	if name = oneLine(name); name == "" {
		return "Beste lezer,"
	}
	return "Beste " + name + ","
}

// render fills both layouts. To stays empty: the caller sets it.
func render(b body) Message {
	b.Subject = oneLine(b.Subject)
	b.Party = oneLine(b.Party)
	b.Footer = "Deze e-mail is verstuurd door Weerbaar namens " + b.Party + ". Beantwoorden kan niet."
	if b.Party == platform {
		b.Footer = "Deze e-mail is verstuurd door Weerbaar. Beantwoorden kan niet."
	}
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

// dagen gives "nog 1 dag" or "nog 3 dagen".
func dagen(n int) string {
	if n == 1 {
		return "nog 1 dag"
	}
	return "nog " + strconv.Itoa(n) + " dagen"
}

const doNotForward = "Stuur deze e-mail niet door. De link is alleen voor u: wie de link heeft, kan uw antwoorden zien en veranderen."

// InvitationData fills the candidate's invitation.
type InvitationData struct {
	Party, Candidate, Round, Office, Link string
	Expires                               time.Time // when the link stops working
	Deadline                              time.Time // the last day to submit (shown as a date)
}

// Invitation invites a candidate to fill in the scan.
func Invitation(d InvitationData) Message {
	party := oneLine(d.Party)
	round := "Dit hoort bij de selectieronde " + quoted(d.Round)
	if o := officePhrase(oneLine(d.Office)); o != "" {
		round += " voor de functie van " + o
	}
	return render(body{
		Subject:  "Uitnodiging weerbaarheidsscan – " + party,
		Party:    party,
		Heading:  "Uitnodiging voor de weerbaarheidsscan",
		Greeting: greeting(d.Candidate),
		Blocks: []block{
			p(party + " nodigt u uit om de weerbaarheidsscan in te vullen. " + round + "."),
			p("De scan is een vragenlijst over uw werk, nevenfuncties, financiële belangen, netwerk en weerbaarheid. " +
				"Zo ziet u samen met de partij op tijd waar u als politicus onder druk gezet kunt worden."),
			h2("Wie leest uw antwoorden?"),
			p("Alleen de selectiecommissie van " + party + " leest uw antwoorden. " +
				"Het partijbestuur ziet uw antwoorden niet. Het bestuur krijgt alleen het eindadvies van de commissie."),
			h2("Wanneer?"),
			p("Vul de scan in en stuur hem uiterlijk op " + DutchDate(d.Deadline) + " in."),
			link("Open de scan met uw persoonlijke link:", d.Link, "Scan openen"),
			p("De link werkt tot " + dutchDateTime(d.Expires) + ". " +
				"U hoeft de scan niet in één keer in te vullen. Uw antwoorden worden steeds bewaard. " +
				"U kunt stoppen en later verdergaan met dezelfde link."),
			p(doNotForward),
			p("Heeft u vragen over de scan? Neem dan contact op met uw contactpersoon bij " + party + "."),
		},
	})
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
}

// Reminder reminds a candidate of the deadline and brings a new link.
func Reminder(d ReminderData) Message {
	party := oneLine(d.Party)
	first := "U heeft " + dagen(d.DaysLeft) + " om de weerbaarheidsscan in te vullen voor de selectieronde " + quoted(d.Round) + "."
	if d.DaysLeft <= 0 {
		first = "Vandaag is de laatste dag om de weerbaarheidsscan in te vullen voor de selectieronde " + quoted(d.Round) + "."
	}
	return render(body{
		Subject:  "Herinnering: weerbaarheidsscan – " + party,
		Party:    party,
		Heading:  "Herinnering: weerbaarheidsscan",
		Greeting: greeting(d.Candidate),
		Blocks: []block{
			p(first + " Stuur de scan uiterlijk op " + DutchDate(d.Deadline) + " in."),
			p("U krijgt van ons een nieuwe persoonlijke link. Eerdere links werken niet meer. " +
				"Wat u al heeft ingevuld, blijft bewaard."),
			link("Ga verder met de scan via deze link:", d.Link, "Verder met de scan"),
			p("De link werkt tot " + dutchDateTime(d.Expires) + "."),
			p(doNotForward),
			p("Heeft u de scan net ingestuurd? Dan hoeft u niets meer te doen."),
		},
	})
}

// ReceiptData fills the confirmation after a candidate submitted.
type ReceiptData struct {
	Party, Candidate, Round string
	SubmittedAt             time.Time
	NewLinkURL              string // the page where the candidate asks for a new link
}

// Receipt confirms a submission and says what happens next.
func Receipt(d ReceiptData) Message {
	party := oneLine(d.Party)
	return render(body{
		Subject:  "Uw weerbaarheidsscan is ontvangen – " + party,
		Party:    party,
		Heading:  "Uw weerbaarheidsscan is ontvangen",
		Greeting: greeting(d.Candidate),
		Blocks: []block{
			p("Bedankt. Wij hebben uw weerbaarheidsscan voor de selectieronde " + quoted(d.Round) +
				" ontvangen op " + dutchDateTime(d.SubmittedAt) + "."),
			h2("Wat gebeurt er nu?"),
			p("De selectiecommissie van " + party + " leest uw antwoorden. Alleen de commissie kan ze zien."),
			p("De commissie kan u uitnodigen voor een gesprek over uw antwoorden."),
			p("Heeft de commissie vragen over uw antwoorden? Dan hoort u dat altijd eerst. " +
				"U kunt dan reageren voordat de commissie haar eindadvies geeft."),
			p("Het partijbestuur ziet uw antwoorden niet. Het bestuur krijgt alleen het eindadvies."),
			h2("Uw gegevens"),
			p("De link uit de uitnodiging werkt nu niet meer. Zo kan niemand anders met een oude e-mail uw scan openen."),
			newLinkBlock(d.NewLinkURL, "Wilt u later uw gegevens downloaden of zich terugtrekken uit de selectie? Vraag dan een nieuwe persoonlijke link aan:"),
		},
	})
}

// newLinkBlock points to the page where a candidate asks for a new link.
func newLinkBlock(url, text string) block {
	if url == "" {
		return p(text + " dat kan op de website van Weerbaar.")
	}
	return link(text, url, "Nieuwe link aanvragen")
}

// LinkData fills the mail with a link the candidate asked for.
type LinkData struct {
	Party, Candidate, Round, Link string
	Expires                       time.Time
}

// NewLink brings the link a candidate asked for on the website.
func NewLink(d LinkData) Message {
	party := oneLine(d.Party)
	return render(body{
		Subject:  "Nieuwe link voor uw weerbaarheidsscan – " + party,
		Party:    party,
		Heading:  "Uw nieuwe link",
		Greeting: greeting(d.Candidate),
		Blocks: []block{
			p("U hebt een nieuwe link gevraagd voor uw weerbaarheidsscan in de selectieronde " + quoted(d.Round) + "."),
			link("Open uw scan met deze link:", d.Link, "Scan openen"),
			p("De link werkt tot " + dutchDateTime(d.Expires) + ". Daarna kunt u een nieuwe link aanvragen. " +
				"Met de link kunt u uw gegevens downloaden en zien wie uw dossier heeft gelezen."),
			p(doNotForward),
			p("Hebt u geen link gevraagd? Dan hoeft u niets te doen. Zonder deze e-mail kan niemand de link gebruiken."),
		},
	})
}

// ReopenData fills the mail that the committee sent the scan back.
type ReopenData struct {
	Party, Candidate, Round, Link string
	Expires                       time.Time
}

// ReopenNotice tells a candidate that the committee asks for changes. The
// committee's message is only behind the link.
func ReopenNotice(d ReopenData) Message {
	party := oneLine(d.Party)
	return render(body{
		Subject:  "Uw weerbaarheidsscan is teruggestuurd – " + party,
		Party:    party,
		Heading:  "Uw scan is teruggestuurd",
		Greeting: greeting(d.Candidate),
		Blocks: []block{
			p("De selectiecommissie van " + party + " vraagt u om uw weerbaarheidsscan voor de selectieronde " + quoted(d.Round) +
				" aan te vullen of te verbeteren."),
			p("Om uw privacy te beschermen, staat het bericht van de commissie niet in deze e-mail."),
			link("Lees het bericht en pas uw antwoorden aan via deze link:", d.Link, "Scan openen"),
			p("De link werkt tot " + dutchDateTime(d.Expires) + ". Stuur de scan daarna opnieuw in."),
			p(doNotForward),
		},
	})
}

// HearingData fills the mail that asks a candidate to respond to the committee.
type HearingData struct {
	Party, Candidate, Link string
	ReplyDue               time.Time // the last day to reply (shown as a date)
}

// HearingNotice tells a candidate that the committee has questions. The
// questions themselves are only behind the link.
func HearingNotice(d HearingData) Message {
	party := oneLine(d.Party)
	return render(body{
		Subject:  "Vragen van de selectiecommissie – " + party,
		Party:    party,
		Heading:  "De selectiecommissie heeft vragen",
		Greeting: greeting(d.Candidate),
		Blocks: []block{
			p("De selectiecommissie van " + party + " heeft uw weerbaarheidsscan gelezen. " +
				"De commissie heeft vragen over een aantal van uw antwoorden. " +
				"U krijgt de kans om daarop te reageren voordat de commissie haar eindadvies geeft."),
			p("Om uw privacy te beschermen, staan de vragen niet in deze e-mail."),
			link("Lees de vragen en geef uw schriftelijke reactie via deze link:", d.Link, "Vragen bekijken"),
			p("Reageer uiterlijk op " + DutchDate(d.ReplyDue) + ". Uw reactie komt in uw dossier. " +
				"De commissie leest uw reactie voordat zij een besluit neemt."),
			p(doNotForward),
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
