package ssmfake

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// Command documents of the account: GetDocument, CreateDocument,
// UpdateDocument, UpdateDocumentDefaultVersion, and what SendCommand needs to
// run one (schema 2.2, a single aws:runShellScript step).

var documentNameRe = regexp.MustCompile(`^[a-zA-Z0-9_\-.]{3,128}$`)

type document struct {
	name     string
	versions []string // content by version, version 1 first
	def      int      // default version, 1-based
}

// docSpec is the part of a document's content the fake runs.
type docSpec struct {
	SchemaVersion string `json:"schemaVersion"`
	Parameters    map[string]struct {
		Type           string `json:"type"`
		Default        string `json:"default"`
		AllowedPattern string `json:"allowedPattern"`
	} `json:"parameters"`
	MainSteps []struct {
		Action string `json:"action"`
		Name   string `json:"name"`
		Inputs struct {
			RunCommand     []string `json:"runCommand"`
			TimeoutSeconds string   `json:"timeoutSeconds"`
		} `json:"inputs"`
	} `json:"mainSteps"`
}

func parseDoc(content string) (*docSpec, *apiError) {
	var d docSpec
	if err := json.Unmarshal([]byte(content), &d); err != nil {
		return nil, clientErr("InvalidDocumentContent", "the content is not valid JSON: %v", err)
	}
	if d.SchemaVersion != "2.2" || len(d.MainSteps) != 1 || d.MainSteps[0].Action != "aws:runShellScript" || d.MainSteps[0].Name == "" {
		return nil, clientErr("InvalidDocumentContent", "this fake runs schema 2.2 documents with one named aws:runShellScript step")
	}
	return &d, nil
}

func (s *Server) documentView(d *document, version int) map[string]any {
	return map[string]any{
		"Name": d.name, "DocumentType": "Command", "DocumentFormat": "JSON", "SchemaVersion": "2.2",
		"DocumentVersion": strconv.Itoa(version), "DefaultVersion": strconv.Itoa(d.def),
		"LatestVersion": strconv.Itoa(len(d.versions)), "Status": "Active",
	}
}

type documentInput struct {
	Name            string
	Content         string
	DocumentType    string
	DocumentFormat  string
	DocumentVersion string
	VersionName     string
	TargetType      string
	DisplayName     string
	Requires        []any
	Tags            []any
	Attachments     []any
}

func (s *Server) getDocument(_ context.Context, _ string, body []byte) (any, *apiError) {
	var in documentInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.documents[in.Name]
	if !ok {
		return nil, clientErr("InvalidDocument", "Document with name %s does not exist.", in.Name)
	}
	v := d.def
	if in.DocumentVersion == "$LATEST" {
		v = len(d.versions)
	} else if in.DocumentVersion != "" && in.DocumentVersion != "$DEFAULT" {
		n, err := strconv.Atoi(in.DocumentVersion)
		if err != nil || n < 1 || n > len(d.versions) {
			return nil, clientErr("InvalidDocumentVersion", "version %s of %s does not exist", in.DocumentVersion, in.Name)
		}
		v = n
	}
	out := map[string]any{"Name": d.name, "DocumentVersion": strconv.Itoa(v), "Content": d.versions[v-1],
		"DocumentType": "Command", "DocumentFormat": "JSON", "Status": "Active"}
	return out, nil
}

func (s *Server) createDocument(_ context.Context, _ string, body []byte) (any, *apiError) {
	var in documentInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	switch {
	case !documentNameRe.MatchString(in.Name):
		return nil, clientErr("ValidationException", "document name %q is not valid", in.Name)
	case strings.HasPrefix(strings.ToLower(in.Name), "aws-") || strings.HasPrefix(strings.ToLower(in.Name), "amazon"):
		return nil, clientErr("ValidationException", "document names cannot start with aws- or amazon")
	case in.DocumentType != "Command":
		return nil, clientErr("InvalidDocumentType", "this fake creates Command documents only")
	case in.DocumentFormat != "" && in.DocumentFormat != "JSON":
		return nil, clientErr("InvalidDocumentContent", "this fake reads JSON documents only")
	case len(in.Content) > 64*1024:
		return nil, clientErr("MaxDocumentSizeExceeded", "the content is over 64 KB")
	}
	if _, err := parseDoc(in.Content); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.documents[in.Name]; ok {
		return nil, clientErr("DocumentAlreadyExists", "Document with same name %s already exists", in.Name)
	}
	d := &document{name: in.Name, versions: []string{in.Content}, def: 1}
	s.documents[in.Name] = d
	return map[string]any{"DocumentDescription": s.documentView(d, 1)}, nil
}

func (s *Server) updateDocument(_ context.Context, _ string, body []byte) (any, *apiError) {
	var in documentInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if len(in.Content) > 64*1024 {
		return nil, clientErr("MaxDocumentSizeExceeded", "the content is over 64 KB")
	}
	if _, err := parseDoc(in.Content); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.documents[in.Name]
	if !ok {
		return nil, clientErr("InvalidDocument", "Document with name %s does not exist.", in.Name)
	}
	if in.DocumentVersion != "$LATEST" && in.DocumentVersion != strconv.Itoa(len(d.versions)) {
		return nil, clientErr("InvalidDocumentVersion", "only the latest version can be updated")
	}
	for _, c := range d.versions {
		if c == in.Content {
			return nil, clientErr("DuplicateDocumentContent", "The content of the association document matches another document.")
		}
	}
	d.versions = append(d.versions, in.Content)
	return map[string]any{"DocumentDescription": s.documentView(d, len(d.versions))}, nil
}

func (s *Server) updateDocumentDefaultVersion(_ context.Context, _ string, body []byte) (any, *apiError) {
	var in documentInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.documents[in.Name]
	if !ok {
		return nil, clientErr("InvalidDocument", "Document with name %s does not exist.", in.Name)
	}
	n, err := strconv.Atoi(in.DocumentVersion)
	if err != nil || n < 1 || n > len(d.versions) {
		return nil, clientErr("InvalidDocumentVersion", "version %s of %s does not exist", in.DocumentVersion, in.Name)
	}
	d.def = n
	return map[string]any{"Description": map[string]any{"Name": d.name, "DefaultVersion": in.DocumentVersion}}, nil
}

// Document returns the content of a document's default version, "" when
// there is no such document.
func (s *Server) Document(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.documents[name]; ok {
		return d.versions[d.def-1]
	}
	return ""
}
