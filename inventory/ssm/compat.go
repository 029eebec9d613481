package ssm

// Tolerance for SSM-compatible servers that implement less than AWS does.
// upkeep must work against any server that speaks the documented API, so
// what is read here is the protocol, never a server's name: see "Compatibility"
// in docs/aws.md for the servers this was checked against.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// UnsupportedError says that the endpoint does not implement an operation
// upkeep needs. It is final: retrying cannot help.
type UnsupportedError struct {
	Op  string // SSM operation, e.g. ListCommandInvocations
	Err error
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("the SSM endpoint does not support %s (%v)", e.Op, e.Err)
}

func (e *UnsupportedError) Unwrap() error { return e.Err }

// Error codes by which services and emulators say "no such operation".
// AWS's JSON services answer UnknownOperationException; query-protocol
// services say InvalidAction; the rest are what emulators use.
var unsupportedCodes = map[string]bool{
	"UnknownOperationException": true, "UnknownOperation": true, "InvalidAction": true,
	"NotImplemented": true, "NotImplementedException": true, "NotImplementedError": true,
	"UnsupportedOperation": true, "UnsupportedOperationException": true,
}

// unsupported reports whether err means the endpoint lacks the operation:
// one of the codes above, HTTP 404, 405 or 501, or HTTP 500 with a body that
// is not an SSM error at all (a web framework's own page for an unhandled
// exception, which is how some emulators answer a missing operation). A 500
// carrying a JSON error is AWS's InternalServerError: transient, not this.
func unsupported(err error) (*UnsupportedError, bool) {
	if err == nil {
		return nil, false
	}
	var u *UnsupportedError
	if errors.As(err, &u) {
		return u, true
	}
	op := "the operation"
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		op = oe.OperationName
	}
	var api smithy.APIError
	if errors.As(err, &api) && unsupportedCodes[api.ErrorCode()] {
		return &UnsupportedError{Op: op, Err: err}, true
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) {
		return nil, false
	}
	switch re.HTTPStatusCode() {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return &UnsupportedError{Op: op, Err: err}, true
	case http.StatusInternalServerError:
		var de *smithy.DeserializationError
		if errors.As(err, &de) {
			return &UnsupportedError{Op: op, Err: fmt.Errorf("HTTP 500 with a body that is not an SSM error: %w", err)}, true
		}
	}
	return nil, false
}

// isoTimestamps finds timestamp members sent as strings. The SSM model has
// no timestampFormat trait, so on the wire they are epoch seconds (a JSON
// number), and the SDK rejects a whole response holding one as a string,
// as some emulators send them ("2025-11-07T10:00:00.123456"). Only the
// members upkeep reads or that share their shapes are listed; the
// GetCommandInvocation Execution*DateTime members are strings in the model
// and are left alone.
var isoTimestamps = regexp.MustCompile(`"(RequestedDateTime|ExpiresAfter|LastPingDateTime|RegistrationDate|` +
	`LastAssociationExecutionDate|LastSuccessfulAssociationExecutionDate|ResponseStartDateTime|ResponseFinishDateTime)"` +
	`(\s*:\s*)"([^"\\]*)"`)

// epochTimestamps is a deserialize middleware that rewrites such strings
// into epoch seconds (or null when they are not a date) before the SDK
// reads the body. Answers with none, as AWS's, pass through untouched.
type epochTimestamps struct{}

func (epochTimestamps) ID() string { return "upkeepEpochTimestamps" }

func (epochTimestamps) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.StatusCode < 200 || resp.StatusCode > 299 || resp.Body == nil {
		return out, md, err
	}
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if rerr != nil {
		return out, md, fmt.Errorf("read SSM response: %w", rerr)
	}
	if isoTimestamps.Match(body) {
		body = isoTimestamps.ReplaceAllFunc(body, func(m []byte) []byte {
			sub := isoTimestamps.FindSubmatch(m)
			return append(append(append([]byte(`"`), sub[1]...), append([]byte(`"`), sub[2]...)...), epochJSON(string(sub[3]))...)
		})
		resp.ContentLength = int64(len(body))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return out, md, err
}

var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}

// epochJSON is s as epoch seconds, or null when s is no date; a zone-less
// value is taken as UTC.
func epochJSON(s string) []byte {
	if _, err := strconv.ParseFloat(s, 64); err == nil && s != "" {
		return []byte(s)
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return []byte(strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', 3, 64))
		}
	}
	return []byte("null")
}

// addCompat installs epochTimestamps on an SSM client's stack.
func addCompat(st *middleware.Stack) error {
	return st.Deserialize.Add(epochTimestamps{}, middleware.After)
}
