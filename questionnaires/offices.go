package questionnaires

// The offices a screening round can be for, and the tier of government
// each belongs to. Version 1 of the weerbaarheidsscan knows the three
// municipal offices; version 2 adds the province and the waterschap
// (docs/domain/ambten.md).

// Levels of government (the `level` context variable).
const (
	LevelGemeente   = "gemeente"
	LevelProvincie  = "provincie"
	LevelWaterschap = "waterschap"
)

// Office ids.
const (
	OfficeRaadslid     = "raadslid"
	OfficeWethouder    = "wethouder"
	OfficeCommissielid = "commissielid"
	OfficeStatenlid    = "statenlid"
	OfficeGedeputeerde = "gedeputeerde"
	OfficeWaterschapAB = "waterschap_ab"
	OfficeWaterschapDB = "waterschap_db"
)

// OfficeInfo describes one office.
type OfficeInfo struct {
	ID        string
	Level     string
	Executive bool   // a bestuurder: wethouder, gedeputeerde, lid dagelijks bestuur
	Label     string // Dutch label, e.g. "Lid Provinciale Staten"
	LabelEN   string // English label
	// Phrase and PhraseEN name the office inside a sentence ("de functie
	// van …", "for the office of …"), as the mails and the referent's page
	// write it.
	Phrase   string
	PhraseEN string
}

// AllOffices lists every office in display order.
var AllOffices = []OfficeInfo{
	{OfficeRaadslid, LevelGemeente, false, "Raadslid", "Municipal councillor", "raadslid", "municipal councillor"},
	{OfficeWethouder, LevelGemeente, true, "Wethouder", "Alderman (wethouder)", "wethouder", "alderman"},
	{OfficeCommissielid, LevelGemeente, false, "Commissielid", "Committee member", "commissielid", "committee member"},
	{OfficeStatenlid, LevelProvincie, false, "Lid Provinciale Staten", "Member of the Provincial Council", "lid van Provinciale Staten", "member of the Provincial Council"},
	{OfficeGedeputeerde, LevelProvincie, true, "Gedeputeerde", "Provincial executive (gedeputeerde)", "gedeputeerde", "provincial executive"},
	{OfficeWaterschapAB, LevelWaterschap, false, "Lid algemeen bestuur waterschap", "Member of the water authority's general board", "lid van het algemeen bestuur van het waterschap", "member of the water authority's general board"},
	{OfficeWaterschapDB, LevelWaterschap, true, "Lid dagelijks bestuur waterschap", "Member of the water authority's executive board", "lid van het dagelijks bestuur van het waterschap", "member of the water authority's executive board"},
}

// LegacyOffices are the offices of a questionnaire that does not list its
// own (version 1).
var LegacyOffices = []string{OfficeRaadslid, OfficeWethouder, OfficeCommissielid}

// Office returns the office with the given id.
func Office(id string) (OfficeInfo, bool) {
	for _, o := range AllOffices {
		if o.ID == id {
			return o, true
		}
	}
	return OfficeInfo{}, false
}

// OfficeLevel is the tier of an office; unknown offices count as municipal.
func OfficeLevel(id string) string {
	if o, ok := Office(id); ok {
		return o.Level
	}
	return LevelGemeente
}

// IsExecutive reports whether the office is an executive one.
func IsExecutive(id string) bool {
	o, ok := Office(id)
	return ok && o.Executive
}

// OfficeIDs lists every office id.
func OfficeIDs() []string {
	ids := make([]string, len(AllOffices))
	for i, o := range AllOffices {
		ids[i] = o.ID
	}
	return ids
}

// SupportedOffices are the offices a round on this questionnaire may be
// for: the file's `offices`, or LegacyOffices when it lists none.
func (d *Definition) SupportedOffices() []string {
	if len(d.Offices) > 0 {
		return d.Offices
	}
	return LegacyOffices
}

// SupportsOffice reports whether a round for the office may use d.
func (d *Definition) SupportsOffice(office string) bool {
	return contains(d.SupportedOffices(), office)
}
