// Package fail gives errors a kind the doors understand: invalid input names
// the field and the reason (HTTP 400), an unknown code is not found (404), a
// clash with what is already in the book is a conflict (409), and a role that
// may not do something is forbidden (403). Everything else is the program's
// own failure (500).
//
// Errors keep their kind through fmt.Errorf("…: %w", err) wrapping.
package fail

import (
	"errors"
	"fmt"
)

// Kind says which door status an error maps to.
type Kind int

const (
	KindInvalid Kind = iota + 1
	KindNotFound
	KindConflict
	KindForbidden
	KindUnauthorized
)

// Error is an error a person can act on.
type Error struct {
	Kind   Kind
	Field  string // the input field at fault, when there is one ("lines[2].qty")
	Reason string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Reason
	}
	return e.Reason
}

// Invalid says the field's value is wrong and why.
func Invalid(field, format string, args ...any) error {
	return &Error{Kind: KindInvalid, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// NotFound says there is no such thing: "item GD200 not found".
func NotFound(what, key string) error {
	return &Error{Kind: KindNotFound, Reason: fmt.Sprintf("%s %s not found", what, key)}
}

// Conflict says the request clashes with the book (duplicate code, short stock).
func Conflict(field, format string, args ...any) error {
	return &Error{Kind: KindConflict, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Forbidden says the user's role may not do this.
func Forbidden(format string, args ...any) error {
	return &Error{Kind: KindForbidden, Reason: fmt.Sprintf(format, args...)}
}

// Unauthorized says the caller must log in.
func Unauthorized(format string, args ...any) error {
	return &Error{Kind: KindUnauthorized, Reason: fmt.Sprintf(format, args...)}
}

// As finds the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is of the kind k.
func Is(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// Prefix puts a field path in front of an invalid error's field, so a line
// error reads "lines[2].qty": Prefix("lines[2]", err).
func Prefix(prefix string, err error) error {
	e, ok := As(err)
	if !ok {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	c := *e
	if c.Field == "" {
		c.Field = prefix
	} else {
		c.Field = prefix + "." + c.Field
	}
	return &c
}
