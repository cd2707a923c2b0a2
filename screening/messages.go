package screening

import (
	"strings"

	"github.com/weerbaar/weerbaar/models"
)

// The Dutch text of every refusal the Store gives. models names refusals
// by code; what a volunteer reads is written here, once, for the API and
// the pages alike.

const (
	msgInvalid        = "Niet alle velden zijn geldig."
	msgInvalidAnswers = "Niet alle antwoorden zijn geldig."
	msgGone           = "Deze link werkt niet meer: hij is verlopen of ingetrokken, of u hebt de scan al ingediend. Hebt u de scan ingediend? Vraag dan een nieuwe link aan op de pagina „Nieuwe link aanvragen” (/link-aanvragen). Anders kunt u het partijbestuur om een nieuwe uitnodiging vragen."
)

var refusals = map[*models.ReviewError]string{
	models.ErrNoMemberProposal:   "Er ligt voor dit lid geen voorstel dat op bevestiging wacht.",
	models.ErrOwnMemberProposal:  "U kunt uw eigen voorstel niet bevestigen. Een ander lid van de selectiecommissie moet het bevestigen. Bent u het enige commissielid? Laat het partijbestuur het voorstel doen, dan kunt u het bevestigen.",
	models.ErrCommitteeConfirms:  "Deze partij heeft al een selectiecommissie. Een lid van de commissie moet een nieuw commissielid bevestigen of afwijzen.",
	models.ErrMemberNotConfirmed: "Dit lid is nog niet bevestigd door de selectiecommissie. Er gaat pas een e-mail uit na de bevestiging.",
	models.ErrMemberActive:       "Dit lid heeft het lidmaatschap al aanvaard. Een nieuwe link is niet nodig.",
	models.ErrNeedHearing:        "Een negatief advies kan pas als de kandidaat is gehoord: open eerst een hoorzitting en wacht op de reactie of het einde van de reactietermijn.",
	models.ErrOwnProposal:        "U kunt uw eigen voorstel niet bevestigen: een tweede commissielid moet dat doen.",
	models.ErrProposalPending:    "Er ligt al een voorstel voor een advies. Bevestig of verwerp dat eerst.",
	models.ErrNoProposal:         "Er ligt geen voorstel voor een advies.",
	models.ErrHearingOpen:        "Er loopt al een hoorzitting waarop de kandidaat nog kan reageren.",
	models.ErrNoHearing:          "Er is geen hoorzitting waarop u kunt reageren.",
	models.ErrAlreadyReplied:     "U hebt al gereageerd op deze hoorzitting.",
	models.ErrRecused:            "U hebt zich al teruggetrokken bij deze kandidaat.",
	models.ErrReplyTooLate:       "De termijn om te reageren is voorbij. Neem contact op met de selectiecommissie.",
	models.ErrTOTPActive:         "Tweestapsverificatie staat al aan.",
	models.ErrNoSummary:          "Er is nog geen samenvatting: die komt er als de selectiecommissie haar advies heeft bevestigd.",
	models.ErrSummaryChanged:     "De samenvatting is intussen gewijzigd. Lees de nieuwe samenvatting en geef opnieuw toestemming als u dat wilt.",
	models.ErrInterviewClosed:    "Het gespreksverslag kunt u bijwerken zolang het profiel klaar is en er nog geen advies is.",
	models.ErrProfileChanged:     "Het profiel is net opnieuw gemaakt. Laad de pagina opnieuw, kijk de signalen na en sla het verslag dan nog eens op.",
	// References (references.go).
	models.ErrReferencesOff:       "Deze partij vraagt geen referenties: het aantal referenten staat op 0. Het partijbestuur kan dat aanpassen, of kies zelf een aantal.",
	models.ErrReferencesAsked:     "De commissie heeft al referenties gevraagd voor deze kandidaat.",
	models.ErrNoReferences:        "De selectiecommissie heeft (nog) geen referenties gevraagd.",
	models.ErrReferencesSent:      "De verzoeken aan de referenten zijn al verstuurd. De namen kunnen niet meer veranderen.",
	models.ErrReferencesUnnamed:   "De kandidaat heeft de referenten nog niet genoemd of nog geen toestemming gegeven. Verstuur de verzoeken als dat gebeurd is.",
	models.ErrReferencesTooLate:   "De ronde is te lang geleden gesloten: een referent zou minder dan 3 dagen hebben om te antwoorden.",
	models.ErrReferencesFileState: "Referenties kunnen alleen zolang de kandidaat meedoet en er nog geen advies is.",
}

func refusalText(re *models.ReviewError) string {
	if m, ok := refusals[re]; ok {
		return m
	}
	return "Deze stap is nu niet mogelijk."
}

// fieldTexts are the texts of models.ValidationError, by code, field and
// reason.
var fieldTexts = map[string]string{
	"privacy_version/privacy_version/stale": "Lees de huidige privacyverklaring en geef opnieuw toestemming.",
	"password/password/too_short":           "Kies een wachtwoord van ten minste 12 tekens.",
	"password/current_password/wrong":       "Uw huidige wachtwoord klopt niet.",
	"rescreen/candidates/foreign":           "Kies kandidaten uit de eerdere ronde.",
	"rescreen/candidates/ineligible":        "Kies alleen kandidaten met een advies van de selectiecommissie. Wie zich heeft teruggetrokken, niet is begonnen of nog geen advies heeft, nodigt u opnieuw uit in een gewone ronde.",
	"rescreen/candidates/empty":             "Kies de kandidaten die u opnieuw wilt screenen.",
	"deadline/deadline/past":                "Kies een sluitingsdatum in de toekomst.",
	"deadline/deadline/too_far":             "Kies een sluitingsdatum binnen een jaar vanaf vandaag.",
	"questionnaire/questionnaire/unknown":   "Kies een bestaande vragenlijst.",
	"sources/source/unknown":                "Kies een bron uit de lijst.",
	"sources/id/unknown":                    "Deze zoekopdracht bestaat niet (meer) in dit dossier. Laad de pagina opnieuw.",
	"sources/source/too_many":               "Er staan al 20 eigen zoekopdrachten in dit dossier. Vul een bestaande aan.",
	"language/language/unknown":             languageText,
	"office/office/unsupported":             "Deze versie van de vragenlijst kent deze functie niet. Versie 1 is alleen voor raadslid, wethouder en commissielid; een ronde voor de provincie of een waterschap gebruikt versie 2.",
}

// summaries are the messages above the fields, where not msgInvalid.
var summaries = map[string]string{
	"privacy_version/privacy_version/stale": "Onbekende versie van de privacyverklaring.",
	"incomplete":                            "Nog niet alle verplichte vragen zijn beantwoord.",
	"rescreen/candidates/foreign":           "Niet alle kandidaten horen bij de eerdere ronde.",
	"rescreen/candidates/ineligible":        "Niet iedereen kan opnieuw worden gescreend.",
	"rescreen/candidates/empty":             "Er is niemand om opnieuw te screenen.",
	"flags":                                 "Niet alle signalen bestaan in het profiel.",
	"office/office/unsupported":             "De vragenlijst past niet bij deze functie.",
}

func validationText(ve *models.ValidationError) *Error {
	e := invalid(map[string]string{})
	for f, reason := range ve.Fields {
		key := ve.Code + "/" + f + "/" + reason
		switch {
		case ve.Code == "incomplete":
			e.Fields[f] = "Beantwoord deze vraag."
		case ve.Code == "flags":
			e.Fields[f] = "Kies signalen uit het huidige profiel (onbekend: " + strings.Join(ve.Params, ", ") + ")."
		case fieldTexts[key] != "":
			e.Fields[f] = fieldTexts[key]
		default:
			e.Fields[f] = "Deze waarde is niet geldig."
		}
		if s, ok := summaries[key]; ok {
			e.Message = s
		}
	}
	if s, ok := summaries[ve.Code]; ok {
		e.Message = s
	}
	return e
}

// transitionText says why a step is not possible in the file's state.
func transitionText(te *models.TransitionError) string {
	switch te.Action {
	case models.ActSubmit:
		return "De scan kan nu niet worden ingediend (status: " + string(te.From) + ")."
	case models.ActAnswer:
		return "Antwoorden kunnen nu niet meer worden gewijzigd (status: " + string(te.From) + ")."
	case models.ActDecide:
		return "Een advies kan pas worden vastgelegd als het profiel klaar is (status: " + string(te.From) + ")."
	case "sources":
		return "Het openbronnenonderzoek kan niet meer worden bijgewerkt: de kandidaat heeft zich teruggetrokken, of de uitnodiging is verlopen of ingetrokken."
	}
	return "Deze stap is niet mogelijk in de huidige status (" + string(te.From) + ")."
}

// RefusalTexts counts the refusals with a text (for the test that every
// refusal of models has one).
func RefusalTexts() int { return len(refusals) }
