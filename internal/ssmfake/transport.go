package ssmfake

import (
	"io"
	"net/http"
	"net/http/httptest"
)

// HTTPClient returns a client that hands each request straight to the
// server in the calling goroutine: no socket, no connection pool, no
// background goroutine. Tests that run inside a testing/synctest bubble use
// it, because a pooled connection's reader is never idle in the bubble's
// sense and would stop fake time from advancing.
func (s *Server) HTTPClient() *http.Client {
	return &http.Client{Transport: handlerTransport{s}}
}

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = r.URL.Host
	}
	in.RequestURI = r.URL.RequestURI()
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, in)
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
