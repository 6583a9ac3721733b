package providersidecar

import (
	"errors"
	"fmt"
	"time"
)

// Code is a protocol error code, the `error.code` of an error frame.
type Code string

// The protocol's error codes (proto-spec/PROTOCOL.md).
const (
	CodeBadRequest          Code = "bad_request"
	CodeUnknownType         Code = "unknown_type"
	CodeFrameTooLarge       Code = "frame_too_large"
	CodeDuplicateID         Code = "duplicate_id"
	CodeUnknownModel        Code = "unknown_model"
	CodeForbidden           Code = "forbidden"
	CodeBudgetExceeded      Code = "budget_exceeded"
	CodeRateLimited         Code = "rate_limited"
	CodeOverloaded          Code = "overloaded"
	CodeUpstreamError       Code = "upstream_error"
	CodeUpstreamInterrupted Code = "upstream_interrupted"
	CodeTimeout             Code = "timeout"
	CodeCancelled           Code = "cancelled"
	CodeNoProviderAvailable Code = "no_provider_available"
	CodeShuttingDown        Code = "shutting_down"
	CodeLedgerUnavailable   Code = "ledger_unavailable"
	CodeInternal            Code = "internal"
)

// Error is an error the sidecar reported for one request (an error frame), or a protocol violation
// detected by this client. Match codes with errors.Is and the sentinels below:
//
//	if errors.Is(err, providersidecar.ErrRateLimited) { ... }
type Error struct {
	Code    Code
	Message string
	// Retryable says whether the same request may succeed if sent again later.
	Retryable bool
	// Partial is true when chunks of the failed request were already delivered.
	Partial bool
	// RetryAfter is the upstream's retry-after hint, zero when it gave none.
	RetryAfter time.Duration
	// RequestID is the id of the failed request; empty when the sidecar could not read one.
	RequestID string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "providersidecar: " + string(e.Code)
	}
	return fmt.Sprintf("providersidecar: %s: %s", e.Code, e.Message)
}

// Is reports whether target is an *Error with the same code (such as one of the sentinels).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Sentinels, one per code, for errors.Is.
var (
	ErrBadRequest          = &Error{Code: CodeBadRequest}
	ErrUnknownType         = &Error{Code: CodeUnknownType}
	ErrFrameTooLarge       = &Error{Code: CodeFrameTooLarge}
	ErrDuplicateID         = &Error{Code: CodeDuplicateID}
	ErrUnknownModel        = &Error{Code: CodeUnknownModel}
	ErrForbidden           = &Error{Code: CodeForbidden}
	ErrBudgetExceeded      = &Error{Code: CodeBudgetExceeded}
	ErrRateLimited         = &Error{Code: CodeRateLimited, Retryable: true}
	ErrOverloaded          = &Error{Code: CodeOverloaded, Retryable: true}
	ErrUpstreamError       = &Error{Code: CodeUpstreamError, Retryable: true}
	ErrUpstreamInterrupted = &Error{Code: CodeUpstreamInterrupted, Retryable: true}
	ErrTimeout             = &Error{Code: CodeTimeout, Retryable: true}
	ErrCancelled           = &Error{Code: CodeCancelled}
	ErrNoProviderAvailable = &Error{Code: CodeNoProviderAvailable, Retryable: true}
	ErrShuttingDown        = &Error{Code: CodeShuttingDown, Retryable: true}
	// ErrLedgerUnavailable: the sidecar cannot record usage (disk full, ledger file deleted or
	// replaced) and refuses requests until the operator fixes it.
	ErrLedgerUnavailable = &Error{Code: CodeLedgerUnavailable, Retryable: true}
	ErrInternal          = &Error{Code: CodeInternal}
)

// Transport errors, which never reached the sidecar as a request.
var (
	// ErrNoSidecar matches every failure to connect (see DialError for the reason).
	ErrNoSidecar = errors.New("providersidecar: cannot connect to the sidecar")
	// ErrClosed is returned for requests on a client whose connection closed or was closed.
	ErrClosed = errors.New("providersidecar: connection closed")
)

// IsUpstream reports whether err is a failure of the upstream providers (rate limits, overload,
// upstream errors and interruptions, timeouts, no provider available), as opposed to the request itself.
func IsUpstream(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case CodeRateLimited, CodeOverloaded, CodeUpstreamError, CodeUpstreamInterrupted, CodeTimeout,
		CodeNoProviderAvailable:
		return true
	}
	return false
}

// sentinels lists every code, in the order of the protocol's error table.
var sentinels = []*Error{ErrBadRequest, ErrUnknownType, ErrFrameTooLarge, ErrDuplicateID, ErrUnknownModel, ErrForbidden,
	ErrBudgetExceeded, ErrRateLimited, ErrOverloaded, ErrUpstreamError, ErrUpstreamInterrupted, ErrTimeout,
	ErrCancelled, ErrNoProviderAvailable, ErrShuttingDown, ErrLedgerUnavailable, ErrInternal}

// wireError is the `error` object of an error frame.
type wireError struct {
	Code         Code   `json:"code"`
	Message      string `json:"message"`
	Retryable    *bool  `json:"retryable"`
	Partial      bool   `json:"partial"`
	RetryAfterMs *int64 `json:"retry_after_ms"`
}

// toError converts the frame's error. A code this version does not know is treated as internal, as
// the protocol says; retryable defaults to the code's default.
func (w *wireError) toError(requestID *string) *Error {
	e := &Error{Code: CodeInternal, Message: w.Message, Partial: w.Partial}
	for _, s := range sentinels {
		if s.Code == w.Code {
			e.Code, e.Retryable = s.Code, s.Retryable
		}
	}
	if e.Code != w.Code {
		e.Message = fmt.Sprintf("(%s) %s", w.Code, w.Message)
	}
	if w.Retryable != nil {
		e.Retryable = *w.Retryable
	}
	if w.RetryAfterMs != nil {
		e.RetryAfter = time.Duration(*w.RetryAfterMs) * time.Millisecond
	}
	if requestID != nil {
		e.RequestID = *requestID
	}
	return e
}
