package ssm

import (
	"errors"
	"fmt"
	"strings"
)

// CredentialsError is a call that found no usable AWS credentials, or a
// profile that does not exist; it names what the SDK tried and what to do.
type CredentialsError struct {
	Profile string
	Err     error
}

func (e *CredentialsError) Error() string {
	var b strings.Builder
	if strings.Contains(e.Err.Error(), "failed to get shared config profile") {
		fmt.Fprintf(&b, "no AWS profile %q in the shared config or credentials files (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)", e.Profile)
		b.WriteString(": check the name with 'aws configure list-profiles', then pass --profile NAME or set AWS_PROFILE")
	} else {
		b.WriteString("no AWS credentials found. Tried, in order: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ")
		if e.Profile != "" {
			fmt.Fprintf(&b, "profile %q ", e.Profile)
		} else {
			b.WriteString("the default profile (or AWS_PROFILE) ")
		}
		b.WriteString("in the shared config and credentials files (keys, SSO, role, web identity, credential_process), container credentials, EC2 instance metadata.")
		b.WriteString(" To fix: pass --profile NAME or set AWS_PROFILE; if the profile uses IAM Identity Center, run 'aws sso login --profile NAME' first; on EC2, attach an instance role")
	}
	fmt.Fprintf(&b, " (SDK: %v)", e.Err)
	return b.String()
}

func (e *CredentialsError) Unwrap() error { return e.Err }

// ExplainCredentials turns the SDK's error for missing credentials or a
// missing profile into a CredentialsError; other errors pass unchanged.
func ExplainCredentials(err error, profile string) error {
	if err == nil {
		return nil
	}
	var ce *CredentialsError
	if errors.As(err, &ce) {
		return err
	}
	msg := err.Error()
	for _, s := range []string{"get identity: get credentials", "failed to refresh cached credentials",
		"failed to retrieve credentials", "failed to get shared config profile", "no valid credential sources"} {
		if strings.Contains(msg, s) {
			return &CredentialsError{Profile: profile, Err: err}
		}
	}
	return err
}
