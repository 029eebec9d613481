package ssm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// DefaultDocument is the name `upkeep aws document` gives the collector's
// own SSM document.
const DefaultDocument = "upkeep-collector"

// collectStep names the document's one step; SSM uses it in the S3 key of
// the step's output (PLUGIN/STEP/stdout).
const collectStep = "collect"

// maxDocumentContent is CreateDocument's limit on Content (API model: 64 KB).
const maxDocumentContent = 64 * 1024

// stepDir is the part of an output's S3 key that names the plugin and step
// that wrote it.
func (o Options) stepDir() string {
	if o.Document == "" {
		return "awsrunShellScript/0.awsrunShellScript"
	}
	return "awsrunShellScript/" + collectStep
}

// documentName is the document SendCommand runs.
func (o Options) documentName() string {
	if o.Document == "" {
		return runShellScript
	}
	return o.Document
}

// Document returns an SSM Command document (schema 2.2, JSON) that runs
// script, unchanged, as its one aws:runShellScript step on Linux. Unlike
// AWS-RunShellScript, whose "commands" parameter is any shell code, the
// document takes one parameter, a number of seconds: a credential allowed to
// send only this document can run the collector and nothing else.
func Document(script []byte) ([]byte, error) {
	lines := strings.Split(strings.TrimRight(string(script), "\n"), "\n")
	for i, l := range lines {
		// SSM would substitute {{ name }} in the script; the collector has
		// none, and a script that did would not run as written.
		if strings.Contains(l, "{{") {
			return nil, fmt.Errorf("collector line %d holds %q, which SSM reads as a parameter reference", i+1, "{{")
		}
	}
	doc := map[string]any{
		"schemaVersion": "2.2",
		"description":   "upkeep's read-only collector: prints installed packages, middleware versions, services and listening ports; writes nothing and runs nothing root does not own. Made by 'upkeep aws document'.",
		"parameters": map[string]any{
			"executionTimeout": map[string]any{
				"type":           "String",
				"default":        "600",
				"description":    "Seconds the collector may run (1 to 172800).",
				"allowedPattern": `^([1-9][0-9]{0,4}|1[0-6][0-9]{4}|17[0-1][0-9]{3}|172[0-7][0-9]{2}|172800)$`,
			},
		},
		"mainSteps": []any{map[string]any{
			"action":       "aws:runShellScript",
			"name":         collectStep,
			"precondition": map[string]any{"StringEquals": []string{"platformType", "Linux"}},
			"inputs": map[string]any{
				"timeoutSeconds": "{{ executionTimeout }}",
				"runCommand":     lines,
			},
		}},
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode the SSM document: %w", err)
	}
	if b.Len() > maxDocumentContent {
		return nil, fmt.Errorf("the SSM document is %d bytes, over SSM's %d", b.Len(), maxDocumentContent)
	}
	return b.Bytes(), nil
}

// DocumentAPI is the part of the SSM client that manages documents.
type DocumentAPI interface {
	GetDocument(ctx context.Context, in *awsssm.GetDocumentInput, opts ...func(*awsssm.Options)) (*awsssm.GetDocumentOutput, error)
	CreateDocument(ctx context.Context, in *awsssm.CreateDocumentInput, opts ...func(*awsssm.Options)) (*awsssm.CreateDocumentOutput, error)
	UpdateDocument(ctx context.Context, in *awsssm.UpdateDocumentInput, opts ...func(*awsssm.Options)) (*awsssm.UpdateDocumentOutput, error)
	UpdateDocumentDefaultVersion(ctx context.Context, in *awsssm.UpdateDocumentDefaultVersionInput, opts ...func(*awsssm.Options)) (*awsssm.UpdateDocumentDefaultVersionOutput, error)
}

// DocumentResult says what EnsureDocument did.
type DocumentResult struct {
	Action  string // "created", "updated" or "unchanged"
	Version string // the document's default version now
}

// EnsureDocument makes the document name hold content as its default
// version: it creates it, adds a version and makes it the default, or
// leaves it alone when the default version already says the same.
func EnsureDocument(ctx context.Context, api DocumentAPI, name string, content []byte) (DocumentResult, error) {
	cur, err := api.GetDocument(ctx, &awsssm.GetDocumentInput{Name: aws.String(name)})
	var missing *types.InvalidDocument
	switch {
	case errors.As(err, &missing):
		out, err := api.CreateDocument(ctx, &awsssm.CreateDocumentInput{
			Name: aws.String(name), Content: aws.String(string(content)),
			DocumentType: types.DocumentTypeCommand, DocumentFormat: types.DocumentFormatJson,
		})
		if err != nil {
			return DocumentResult{}, fmt.Errorf("create SSM document %s: %w", name, err)
		}
		return DocumentResult{Action: "created", Version: aws.ToString(out.DocumentDescription.DocumentVersion)}, nil
	case err != nil:
		return DocumentResult{}, fmt.Errorf("read SSM document %s: %w", name, err)
	}
	if sameJSON(aws.ToString(cur.Content), string(content)) {
		return DocumentResult{Action: "unchanged", Version: aws.ToString(cur.DocumentVersion)}, nil
	}
	up, err := api.UpdateDocument(ctx, &awsssm.UpdateDocumentInput{
		Name: aws.String(name), Content: aws.String(string(content)),
		DocumentFormat: types.DocumentFormatJson, DocumentVersion: aws.String("$LATEST"),
	})
	var dup *types.DuplicateDocumentContent
	if errors.As(err, &dup) {
		// An older version holds this content: SSM will not add it again.
		return DocumentResult{}, fmt.Errorf("update SSM document %s: a version other than the default already holds this collector; make it the default with 'aws ssm update-document-default-version': %w", name, err)
	}
	if err != nil {
		return DocumentResult{}, fmt.Errorf("update SSM document %s: %w", name, err)
	}
	version := aws.ToString(up.DocumentDescription.DocumentVersion)
	if _, err := api.UpdateDocumentDefaultVersion(ctx, &awsssm.UpdateDocumentDefaultVersionInput{
		Name: aws.String(name), DocumentVersion: aws.String(version),
	}); err != nil {
		return DocumentResult{}, fmt.Errorf("make version %s of SSM document %s the default: %w", version, name, err)
	}
	return DocumentResult{Action: "updated", Version: version}, nil
}

// sameJSON compares two JSON documents by value; text that is not JSON is
// compared as it is.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
