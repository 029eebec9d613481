package ssmfake

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Several accounts: a local STS that hands out credentials per role, a local
// AWS Organizations that lists accounts, and an SSM server that shows each
// account only its own instances (Instance.Account, told apart by the access
// key id the request is signed with).

// DefaultAccount is the account of credentials that did not come from the
// local STS.
const DefaultAccount = "111111111111"

// accessKeyPrefix starts the access key ids STS hands out; the account id
// follows, so the SSM fake knows whose request it is.
const accessKeyPrefix = "ASIAFAKE"

// AccountOfAccessKey is the account an access key id from STS belongs to,
// "" for any other key.
func AccountOfAccessKey(key string) string {
	v, ok := strings.CutPrefix(key, accessKeyPrefix)
	if !ok {
		return ""
	}
	return v
}

// accessKeyOf takes the access key id from a SigV4 Authorization header.
func accessKeyOf(auth string) string {
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return ""
	}
	key, _, _ := strings.Cut(cred, "/")
	return key
}

// Role is one role the local STS lets the caller assume.
type Role struct {
	ARN        string
	ExternalID string // when set, AssumeRole must pass it
}

// STS is a local AWS STS endpoint (query protocol: form-encoded requests,
// XML answers) that knows AssumeRole and GetCallerIdentity.
type STS struct {
	mu    sync.Mutex
	roles map[string]Role
	calls map[string]int // AssumeRole calls by role ARN
}

// NewSTS returns an STS that lets the caller assume the given roles and
// denies every other (AccessDenied, as for a role that is missing or does
// not trust the caller).
func NewSTS(roles ...Role) *STS {
	s := &STS{roles: map[string]Role{}, calls: map[string]int{}}
	for _, r := range roles {
		s.roles[r.ARN] = r
	}
	return s
}

// Calls returns the AssumeRole calls made for a role.
func (s *STS) Calls(arn string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[arn]
}

type stsError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

func writeSTSError(w http.ResponseWriter, status int, code, msg string) {
	var e stsError
	e.Xmlns = "https://sts.amazonaws.com/doc/2011-06-15/"
	e.Error.Type, e.Error.Code, e.Error.Message, e.RequestID = "Sender", code, msg, "fake-sts"
	b, _ := xml.Marshal(e)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// roleAccount is the account id in a role ARN (arn:aws:iam::ACCOUNT:role/NAME).
func roleAccount(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 6 || parts[2] != "iam" {
		return ""
	}
	return parts[4]
}

func (s *STS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || r.Method != http.MethodPost {
		writeSTSError(w, http.StatusBadRequest, "InvalidAction", "POST a form")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeSTSError(w, http.StatusBadRequest, "MalformedInput", err.Error())
		return
	}
	switch form.Get("Action") {
	case "AssumeRole":
	case "GetCallerIdentity":
		account := AccountOfAccessKey(accessKeyOf(r.Header.Get("Authorization")))
		if account == "" {
			account = DefaultAccount
		}
		out := fmt.Sprintf(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::%s:user/scanner</Arn><UserId>AIDAFAKE</UserId><Account>%s</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake-sts</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, account, account)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		_, _ = io.WriteString(w, out)
		return
	default:
		writeSTSError(w, http.StatusBadRequest, "InvalidAction", "this fake answers AssumeRole and GetCallerIdentity only")
		return
	}
	arn, session := form.Get("RoleArn"), form.Get("RoleSessionName")
	s.mu.Lock()
	s.calls[arn]++
	role, ok := s.roles[arn]
	s.mu.Unlock()
	switch {
	case session == "" || len(session) > 64:
		writeSTSError(w, http.StatusBadRequest, "ValidationError", "RoleSessionName must be 2-64 characters")
		return
	case !ok || roleAccount(arn) == "":
		writeSTSError(w, http.StatusForbidden, "AccessDenied", fmt.Sprintf("User: arn:aws:iam::111111111111:user/scanner is not authorized to perform: sts:AssumeRole on resource: %s", arn))
		return
	case role.ExternalID != "" && form.Get("ExternalId") != role.ExternalID:
		writeSTSError(w, http.StatusForbidden, "AccessDenied", fmt.Sprintf("User: arn:aws:iam::111111111111:user/scanner is not authorized to perform: sts:AssumeRole on resource: %s", arn))
		return
	}
	account := roleAccount(arn)
	name := arn[strings.LastIndex(arn, "/")+1:]
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	out := fmt.Sprintf(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult><Credentials><AccessKeyId>%s%s</AccessKeyId><SecretAccessKey>fake-secret</SecretAccessKey><SessionToken>fake-token-%s</SessionToken><Expiration>%s</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROAFAKE:%s</AssumedRoleId><Arn>arn:aws:sts::%s:assumed-role/%s/%s</Arn></AssumedRoleUser></AssumeRoleResult>
<ResponseMetadata><RequestId>fake-sts</RequestId></ResponseMetadata></AssumeRoleResponse>`,
		accessKeyPrefix, account, account, exp, xmlEscape(session), account, xmlEscape(name), xmlEscape(session))
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	_, _ = io.WriteString(w, out)
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// OrgAccount is one account of the local Organizations.
type OrgAccount struct {
	ID, Name string
	State    string // ACTIVE (default), SUSPENDED, PENDING_CLOSURE, CLOSED
}

// Organizations is a local AWS Organizations endpoint (awsJson1_1) that
// answers ListAccounts, a page at a time.
type Organizations struct {
	Accounts []OrgAccount
	PageSize int // default 20, the API's largest
}

func (o *Organizations) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSOrganizationsV20161128.")
	if !ok || op != "ListAccounts" {
		writeError(w, http.StatusBadRequest, "UnknownOperationException", "this fake answers ListAccounts only")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	var in struct {
		MaxResults int
		NextToken  string
	}
	if err := decode(body, &in); err != nil {
		writeError(w, err.status, err.code, err.msg)
		return
	}
	accounts := append([]OrgAccount(nil), o.Accounts...)
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].ID < accounts[j].ID })
	size := o.PageSize
	if size <= 0 {
		size = 20
	}
	if in.MaxResults > 0 && in.MaxResults < size {
		size = in.MaxResults
	}
	from := 0
	if in.NextToken != "" {
		from, err = strconv.Atoi(strings.TrimPrefix(in.NextToken, "fake-org-"))
		if err != nil || from < 0 || from > len(accounts) {
			writeError(w, http.StatusBadRequest, "InvalidInputException", "bad NextToken")
			return
		}
	}
	to := min(from+size, len(accounts))
	list := []map[string]any{}
	for _, a := range accounts[from:to] {
		state := a.State
		if state == "" {
			state = "ACTIVE"
		}
		status := state
		if state == "CLOSED" || state == "PENDING_CLOSURE" {
			status = "PENDING_CLOSURE"
		}
		list = append(list, map[string]any{
			"Id": a.ID, "Name": a.Name, "Arn": "arn:aws:organizations::111111111111:account/o-fake/" + a.ID,
			"Email": a.ID + "@example.com", "State": state, "Status": status, "JoinedMethod": "CREATED",
			"JoinedTimestamp": 1.7e9,
		})
	}
	out := map[string]any{"Accounts": list}
	if to < len(accounts) {
		out["NextToken"] = "fake-org-" + strconv.Itoa(to)
	}
	b, _ := json.Marshal(out)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}
