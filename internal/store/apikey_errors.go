package store

import "errors"

// The business rules the apikey POS API checks against stored data. Each
// store method returns the first one that fails, in the order of its
// endpoint's table (apikey-api.md), having written nothing; the HTTP layer
// maps each to that endpoint's code.
var (
	// ErrProgramNotFound: the card or wallet key is not the merchant's.
	ErrProgramNotFound = errors.New("card or wallet not found")
	// ErrProgramDisabled: the card or wallet is disabled.
	ErrProgramDisabled = errors.New("card or wallet disabled")
	// ErrCollaboratorNotFound: usertool_id is not one of the merchant's collaborators.
	ErrCollaboratorNotFound = errors.New("collaborator not the merchant's")
	// ErrCollaboratorNotAllowed: the collaborator is archived or not permitted on the program.
	ErrCollaboratorNotAllowed = errors.New("collaborator archived or not permitted on the program")
	// ErrLadaNotSupported: the phone's lada is not a Mexican one or not among the merchant's allowed ladas.
	ErrLadaNotSupported = errors.New("lada not supported")
	// ErrLandline: the phone starts with one of the merchant's landline prefixes.
	ErrLandline = errors.New("phone is a landline")
	// ErrBirthdate: the birthdate is required and missing, malformed, or not in the past.
	ErrBirthdate = errors.New("birthdate required, malformed or not in the past")
	// ErrContactDisabled: the phone is blacklisted or its contact disabled (contact add).
	ErrContactDisabled = errors.New("phone blacklisted or contact disabled")
	// ErrAlreadyEnrolled: the contact is already enrolled in the program.
	ErrAlreadyEnrolled = errors.New("contact already enrolled")
	// ErrContactQuota: the merchant's contact quota is used up.
	ErrContactQuota = errors.New("contact quota used up")
	// ErrNoMessagingChannel: a message is on but the merchant's messaging channel is none.
	ErrNoMessagingChannel = errors.New("message on but no messaging channel")
	// ErrMessageCredit: the merchant's messaging credit is used up.
	ErrMessageCredit = errors.New("messaging credit used up")
	// ErrContactNotFound: the phone is not in the merchant's agenda.
	ErrContactNotFound = errors.New("phone not in the agenda")
	// ErrNotEnrolled: the contact is not enrolled in the program.
	ErrNotEnrolled = errors.New("contact not enrolled in the program")
	// ErrBlacklisted: the phone is blacklisted or its contact disabled (sales).
	ErrBlacklisted = errors.New("phone blacklisted")
	// ErrTicketRequired: the program requires a ticket and none was sent.
	ErrTicketRequired = errors.New("ticket required")
	// ErrAmountRequired: the amount is malformed or not positive, or missing without a default.
	ErrAmountRequired = errors.New("amount missing or not positive")
	// ErrDailyLimit: the contact reached the card's stamps per day.
	ErrDailyLimit = errors.New("stamps per day reached")
	// ErrOperationQuota: the merchant's operation quota is used up.
	ErrOperationQuota = errors.New("operation quota used up")
	// ErrInsufficientPoints: the points to spend or remove exceed the available balance.
	ErrInsufficientPoints = errors.New("points over the balance")
	// ErrTicketOtherContact: the ticket was already used on the program by another contact.
	ErrTicketOtherContact = errors.New("ticket already used by another contact")
)
