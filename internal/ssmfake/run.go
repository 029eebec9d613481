package ssmfake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// cacheEntry holds one (fixture, script) run; ready closes when it is done.
type cacheEntry struct {
	ready chan struct{}
	res   RunResult
	err   error
}

// run runs script on fixture once per (fixture, script hash): identical
// fixture hosts give identical output, and a fleet of 1,000 instances built
// from a dozen fixtures costs a dozen real runs.
func (s *Server) run(ctx context.Context, inst *Instance, script string) (RunResult, error) {
	sum := sha256.Sum256([]byte(script))
	key := inst.variant() + "\x00" + hex.EncodeToString(sum[:])
	s.mu.Lock()
	e, ok := s.cache[key]
	if !ok {
		e = &cacheEntry{ready: make(chan struct{})}
		s.cache[key] = e
	}
	s.mu.Unlock()
	if !ok {
		select {
		case s.sem <- struct{}{}:
			e.res, e.err = s.runner.Run(context.WithoutCancel(ctx), inst.variant(), inst.Host, script)
			<-s.sem
		case <-ctx.Done():
			e.err = ctx.Err()
		}
		if e.err != nil {
			// A failed run is not cached: the next invocation tries again.
			s.mu.Lock()
			delete(s.cache, key)
			s.mu.Unlock()
		}
		close(e.ready)
	}
	select {
	case <-e.ready:
		return e.res, e.err
	case <-ctx.Done():
		return RunResult{}, ctx.Err()
	}
}

// serveS3 answers path-style S3 GetObject for the command outputs the server
// wrote (OutputS3BucketName), enough for the SDK's S3 client.
func (s *Server) serveS3(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "only GetObject is modelled", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	s.calls["s3:GetObject"]++
	body, ok := s.objects[strings.TrimPrefix(r.URL.Path, "/")]
	s.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`))
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write(body)
}
