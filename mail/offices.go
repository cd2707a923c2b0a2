package mail

// officePhrase is how a mail names a round's office after "de functie van":
// the municipal ids read as words already, the offices of the province and
// the waterschap (questionnaire version 2) need their Dutch name.
func officePhrase(o string) string {
	switch o {
	case "statenlid":
		return "lid van Provinciale Staten"
	case "gedeputeerde":
		return "gedeputeerde"
	case "waterschap_ab":
		return "lid van het algemeen bestuur van het waterschap"
	case "waterschap_db":
		return "lid van het dagelijks bestuur van het waterschap"
	}
	return o
}
