package models

import (
	"time"

	"github.com/weerbaar/weerbaar/secure"
)

// Roles of a member inside a party, plus the two roles outside parties.
const (
	RoleBestuur   = "bestuur"
	RoleCommissie = "commissie"
	RoleAdmin     = "admin"
	RoleKandidaat = "kandidaat"
)

// User is a platform admin, board member or committee member. Candidates are
// not users: they authenticate through their invitation.
type User struct {
	ID             string
	Email          string
	Name           string
	PasswordHash   *string
	IsAdmin        bool
	SetupTokenHash *string
	SetupExpiresAt *time.Time
	SetupSeq       int
	SetupSentSeq   int
	SetupPartyID   *string
	SetupRole      *string
	TOTPSecret     []byte     `gorm:"column:totp_secret"`
	TOTPEnabledAt  *time.Time `gorm:"column:totp_enabled_at"`
	TOTPLastStep   int64      `gorm:"column:totp_last_step"`
	RecoveryCodes  *string
	// Password reset link (created at send time) and the notices to the
	// owner after each password change.
	ResetSeq        int
	ResetSentSeq    int
	ResetTokenHash  *string
	ResetExpiresAt  *time.Time
	PasswordSeq     int
	PasswordSentSeq int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Party is a (local branch of a) political party; the tenant boundary.
type Party struct {
	ID                     string
	Name                   string
	MaxVOGAgeDays          int `gorm:"column:max_vog_age_days"`
	RetentionDecidedDays   int
	RetentionWithdrawnDays int
	ReferencesRequired     int // referents the committee asks for (0–5; references.go)
	AuditSeq               int64
	AuditHead              string
	CreatedAt              time.Time
}

// Membership statuses: a proposed committee member waits for the
// committee's confirmation, then (like every new member) for the person to
// accept by mail; only an active membership gives its role.
const (
	MemberPending = "wacht_op_bevestiging"
	MemberInvited = "uitgenodigd"
	MemberActive  = "actief"
)

// Membership gives a user a role in a party. Name is the name as the adder
// typed it (never the account's own name, which another party may have
// chosen). AddedBy and ConfirmedBy are user ids (or the CLI's actor id);
// their names are kept as the party knew them then.
type Membership struct {
	ID              string
	PartyID         string
	UserID          string
	Role            string
	Status          string
	Name            string
	AddedBy         string
	AddedByName     string
	ConfirmedBy     *string
	ConfirmedByName string
	ConfirmedAt     *time.Time
	AcceptedAt      *time.Time
	// AccountCreated: this membership created the account, so setting the
	// account's password (the set-up link) is its acceptance.
	AccountCreated  bool
	InviteSeq       int
	InviteTokenHash *string
	InviteExpiresAt *time.Time
	CreatedAt       time.Time
	User            *User `gorm:"foreignKey:UserID"`
}

// MemberNotice is one mail about a change to a party's committee, to one
// recipient.
type MemberNotice struct {
	ID          string
	PartyID     string
	RecipientID string
	Action      string
	MemberName  string
	MemberEmail string
	MemberRole  string
	ActorName   string
	CreatedAt   time.Time
}

// Round is a selection round for one office.
type Round struct {
	ID                   string
	PartyID              string
	Name                 string
	Office               string
	Deadline             time.Time
	QuestionnaireID      string
	QuestionnaireVersion int
	CreatedBy            string
	CreatedAt            time.Time
	PreviousRoundID      *string
}

// Candidate is one person screened in one round. Name, Email and Level
// are plaintext in memory only: the rows hold them sealed with the
// candidate's data key (NameEnc, EmailEnc, LevelEnc) and the address as a
// keyed hash for look-ups (EmailHash); see sealed.go.
type Candidate struct {
	ID              string
	PartyID         string
	RoundID         string
	Name            string  `gorm:"-"`
	Email           string  `gorm:"-"`
	Level           *string `gorm:"-"`
	NameEnc         []byte
	EmailEnc        []byte
	EmailHash       string
	LevelEnc        []byte
	Status          Status
	Language        string // "nl" or "en" (i18n.Languages): the candidate's pages and mails
	DataKey         []byte
	InviteTokenHash *string
	InviteSeq       int
	InviteSentSeq   int
	InviteExpiresAt *time.Time
	AcceptedAt      *time.Time
	ConsentVersion  *int
	ConsentAt       *time.Time
	SubmittedAt     *time.Time
	Revision        int
	ProfileRevision int // revision of the current profile (0: none)
	ProfiledAt      *time.Time
	DecidedAt       *time.Time
	WithdrawnAt     *time.Time
	RevokedAt       *time.Time
	ReopenMessage   []byte
	PreviousID      *string
	Network         []byte
	CreatedAt       time.Time
	UpdatedAt       time.Time

	// ci memoises the unwrapped data key for the life of this value (one
	// request or task), so reading a file's parts costs one key-store
	// round trip, not one per part; nothing outlives the request.
	ci *secure.Cipher
}

// Session is a login session of a user or a candidate.
type Session struct {
	ID          string
	TokenHash   string
	UserID      *string
	CandidateID *string
	CreatedAt   time.Time
	LastSeenAt  time.Time
	ExpiresAt   time.Time
	IdleSeconds int
	MfaPending  bool
	// SecondFactor: the session showed a TOTP or recovery code.
	SecondFactor bool

	// Loaded with the session in one query (SessionByToken).
	User      *User      `gorm:"foreignKey:UserID"`
	Candidate *Candidate `gorm:"foreignKey:CandidateID"`
}

// Answer is one encrypted answer.
type Answer struct {
	CandidateID string `gorm:"primaryKey"`
	QuestionID  string `gorm:"primaryKey"`
	Value       []byte
	UpdatedAt   time.Time
}

// ProfileRecord is a stored (encrypted) risk profile version.
type ProfileRecord struct {
	ID                   string
	CandidateID          string
	Revision             int
	QuestionnaireVersion int
	InputHash            string
	Overall              string `gorm:"-"` // from the sealed body (Profile, ProfileHistory)
	Body                 []byte
	Answers              []byte
	IsCurrent            bool
	CompiledAt           time.Time
}

func (ProfileRecord) TableName() string { return "profiles" }

// VOGRecord tracks the certificate of conduct as status and dates only;
// they are sealed with the candidate's data key (Sealed), plaintext in
// memory once loaded through the Store.
type VOGRecord struct {
	CandidateID      string  `gorm:"primaryKey"`
	Status           string  `gorm:"-"`
	KlaargezetOn     *string `gorm:"-"`
	RequestedOn      *string `gorm:"-"`
	IssuedOn         *string `gorm:"-"`
	ScreeningProfile string  `gorm:"-"`
	ValidatedBy      *string `gorm:"-"`
	Sealed           []byte
	UpdatedBy        string
	UpdatedAt        time.Time
}

func (VOGRecord) TableName() string { return "vog_records" }

// Note is an encrypted committee note.
type Note struct {
	ID          string
	CandidateID string
	AuthorID    string
	Body        []byte
	CreatedAt   time.Time
}

// Decision statuses: a proposal waits for a second committee member.
const (
	DecisionProposed  = "voorgesteld"
	DecisionConfirmed = "bevestigd"
	DecisionRejected  = "afgewezen"
)

// Decision is the committee's advice on a candidate. DecidedBy proposed it;
// ConfirmedBy is the second pair of eyes (the proposer when SingleMember).
// Outcome and the release flags are sealed with the candidate's data key
// (Sealed) and plaintext in memory once loaded through the Store.
type Decision struct {
	ID                string
	CandidateID       string
	Outcome           string `gorm:"-"`
	Reasons           []byte
	Conditions        []byte
	ReleaseToBoard    bool `gorm:"-"`
	ReleaseConditions bool `gorm:"-"`
	Sealed            []byte
	SingleMember      bool
	Status            string
	DecidedBy         string
	CreatedAt         time.Time
	ConfirmedBy       *string
	ConfirmedAt       *time.Time
	RejectedBy        *string
	RejectedAt        *time.Time
}

// Hearing is hoor en wederhoor: flags put to the candidate and the reply.
type Hearing struct {
	ID          string
	CandidateID string
	Revision    int
	Flags       []byte
	Message     []byte
	OpenedBy    string
	OpenedAt    time.Time
	ReplyDue    time.Time
	Reply       []byte
	RepliedAt   *time.Time
}

// Recusal records that a committee member steps aside from a candidate.
type Recusal struct {
	ID          string
	CandidateID string
	UserID      string
	Reason      []byte
	CreatedAt   time.Time
}

// AuditEvent is one link of a party's hash chain.
type AuditEvent struct {
	ID          string
	PartyID     string
	Seq         int64
	CandidateID *string
	ActorID     string
	ActorRole   string
	Action      string
	CreatedAt   time.Time
	PrevHash    string
	Hash        string
}

// OutboxMail is a mail kept in the dev outbox (WEERBAAR_DEV only). The
// row holds it sealed under the key store's outbox key, so a copy of the
// database has no usable links.
type OutboxMail struct {
	ID       string    `json:"-"`
	ToAddr   string    `json:"to" gorm:"-"`
	Subject  string    `json:"subject" gorm:"-"`
	BodyText string    `json:"text" gorm:"-"`
	Sealed   []byte    `json:"-"`
	SentAt   time.Time `json:"sent_at"`
}

func (OutboxMail) TableName() string { return "mail_outbox" }

// Delivery statuses.
const (
	DeliverySending = "sending"
	DeliveryRetry   = "retry"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
)

// Delivery is one mail that must go out exactly once; Key dedupes it.
type Delivery struct {
	Key         string `gorm:"primaryKey"`
	Kind        string
	Seq         int
	CandidateID *string
	UserID      *string
	Status      string
	Attempts    int
	Error       *string
	ClaimedAt   time.Time
	SentAt      *time.Time
	CreatedAt   time.Time
}

func (Delivery) TableName() string { return "mail_deliveries" }

// NetworkKey is one row of the network index.
type NetworkKey struct {
	CandidateID string `gorm:"primaryKey"`
	PartyID     string
	KeyHash     string `gorm:"primaryKey"`
}

func (NetworkKey) TableName() string { return "network_keys" }
