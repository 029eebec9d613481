package ssmfake

import (
	"context"
	"fmt"
	"strings"
)

// Reading and cancelling commands: ListCommandInvocations,
// GetCommandInvocation, ListCommands, CancelCommand.

type commandFilter struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

var commandFilterKeys = map[string]bool{"InvokedAfter": true, "InvokedBefore": true, "Status": true, "ExecutionStage": true, "DocumentName": true}

func checkCommandFilters(fs []commandFilter) *apiError {
	if len(fs) > 5 {
		return clientErr("ValidationException", "at most 5 filters")
	}
	for _, f := range fs {
		if !commandFilterKeys[f.Key] {
			return clientErr("InvalidFilterKey", "filter key %q is not valid", f.Key)
		}
		if len(f.Value) < 1 || len(f.Value) > 128 {
			return clientErr("ValidationException", "filter value must be 1-128 characters")
		}
	}
	return nil
}

func (inv *invocation) matches(fs []commandFilter) bool {
	for _, f := range fs {
		switch f.Key {
		case "Status":
			if !strings.EqualFold(f.Value, inv.status) {
				return false
			}
		case "DocumentName":
			if f.Value != inv.cmd.document {
				return false
			}
		}
	}
	return true
}

type listInvocationsInput struct {
	CommandId  string
	InstanceId string
	Details    bool
	Filters    []commandFilter
	MaxResults int
	NextToken  string
}

func (s *Server) listCommandInvocations(_ context.Context, region string, body []byte) (any, *apiError) {
	var in listInvocationsInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := checkCommandFilters(in.Filters); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var cmds []*command
	if in.CommandId != "" {
		c, ok := s.commands[in.CommandId]
		if !ok || c.region != region {
			return nil, clientErr("InvalidCommandId", "command %s does not exist", in.CommandId)
		}
		cmds = []*command{c}
	} else {
		for _, c := range s.order {
			if c.region == region {
				cmds = append(cmds, c)
			}
		}
	}
	now := s.clock.Now()
	var invs []*invocation
	for _, c := range cmds {
		for _, inv := range c.invs {
			if now.Before(inv.visibleAt) || (in.InstanceId != "" && inv.inst.ID != in.InstanceId) || !inv.matches(in.Filters) {
				continue
			}
			invs = append(invs, inv)
		}
	}
	from, to, next, err := s.page(len(invs), in.MaxResults, in.NextToken, 50, 1, 50)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, inv := range invs[from:to] {
		v := map[string]any{
			"CommandId":         inv.cmd.id,
			"InstanceId":        inv.inst.ID,
			"InstanceName":      inv.inst.ComputerName,
			"Comment":           inv.cmd.comment,
			"DocumentName":      inv.cmd.document,
			"DocumentVersion":   "$DEFAULT",
			"RequestedDateTime": s.ts(inv.cmd.requested),
			"Status":            inv.status,
			"StatusDetails":     inv.details,
			"StandardOutputUrl": s.outputURL(inv, "stdout"),
			"StandardErrorUrl":  s.outputURL(inv, "stderr"),
			"CommandPlugins":    []any{},
		}
		if in.Details {
			p := map[string]any{
				"Name":          pluginName,
				"Status":        pluginStatus(inv.status),
				"StatusDetails": inv.details,
				"ResponseCode":  inv.code,
				"Output":        cut(inv.stdout+inv.stderr, MaxPluginOutput),
			}
			if !inv.started.IsZero() {
				p["ResponseStartDateTime"] = s.ts(inv.started)
			}
			if inv.done {
				p["ResponseFinishDateTime"] = s.ts(inv.ended)
			}
			v["CommandPlugins"] = []any{p}
		}
		out = append(out, v)
	}
	res := map[string]any{"CommandInvocations": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

func pluginStatus(s string) string {
	if s == "Delayed" || s == "Cancelling" {
		return "InProgress"
	}
	return s
}

func (s *Server) outputURL(inv *invocation, stream string) string {
	if inv.cmd.bucket == "" || !inv.done {
		return ""
	}
	return "https://s3." + inv.cmd.region + ".amazonaws.com/" + inv.cmd.bucket + "/" + outputKey(inv, stream)
}

type getInvocationInput struct {
	CommandId  string
	InstanceId string
	PluginName string
}

func (s *Server) getCommandInvocation(_ context.Context, region string, body []byte) (any, *apiError) {
	var in getInvocationInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if len(in.CommandId) != 36 {
		return nil, clientErr("ValidationException", "CommandId must be 36 characters")
	}
	if in.PluginName != "" && in.PluginName != pluginName {
		return nil, clientErr("InvalidPluginName", "plugin %s is not in this command", in.PluginName)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.commands[in.CommandId]
	if !ok || c.region != region {
		return nil, clientErr("InvalidCommandId", "command %s does not exist", in.CommandId)
	}
	inv, ok := c.byInst[in.InstanceId]
	if !ok || s.clock.Now().Before(inv.visibleAt) {
		return nil, clientErr("InvocationDoesNotExist", "")
	}
	v := map[string]any{
		"CommandId":              c.id,
		"InstanceId":             inv.inst.ID,
		"Comment":                c.comment,
		"DocumentName":           c.document,
		"DocumentVersion":        "$DEFAULT",
		"PluginName":             pluginName,
		"ResponseCode":           inv.code,
		"Status":                 inv.status,
		"StatusDetails":          inv.details,
		"StandardOutputContent":  "",
		"StandardErrorContent":   "",
		"StandardOutputUrl":      s.outputURL(inv, "stdout"),
		"StandardErrorUrl":       s.outputURL(inv, "stderr"),
		"ExecutionStartDateTime": "",
		"ExecutionEndDateTime":   "",
		"ExecutionElapsedTime":   "",
	}
	if !inv.started.IsZero() {
		v["ExecutionStartDateTime"] = inv.started.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if inv.done {
		v["StandardOutputContent"] = cut(inv.stdout, MaxStdout)
		v["StandardErrorContent"] = cut(inv.stderr, MaxStderr)
		v["ExecutionEndDateTime"] = inv.ended.UTC().Format("2006-01-02T15:04:05.000Z")
		if !inv.started.IsZero() {
			v["ExecutionElapsedTime"] = fmt.Sprintf("PT%.3fS", inv.ended.Sub(inv.started).Seconds())
		}
	}
	return v, nil
}

type listCommandsInput struct {
	CommandId  string
	InstanceId string
	Filters    []commandFilter
	MaxResults int
	NextToken  string
}

func (s *Server) listCommands(_ context.Context, region string, body []byte) (any, *apiError) {
	var in listCommandsInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if err := checkCommandFilters(in.Filters); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var cmds []*command
	for _, c := range s.order {
		if c.region != region || (in.CommandId != "" && c.id != in.CommandId) {
			continue
		}
		if in.InstanceId != "" && c.byInst[in.InstanceId] == nil {
			continue
		}
		cmds = append(cmds, c)
	}
	if in.CommandId != "" && len(cmds) == 0 {
		return nil, clientErr("InvalidCommandId", "command %s does not exist", in.CommandId)
	}
	from, to, next, err := s.page(len(cmds), in.MaxResults, in.NextToken, 50, 1, 50)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, c := range cmds[from:to] {
		out = append(out, s.commandView(c))
	}
	res := map[string]any{"Commands": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

type cancelCommandInput struct {
	CommandId   string
	InstanceIds []string
}

func (s *Server) cancelCommand(_ context.Context, region string, body []byte) (any, *apiError) {
	var in cancelCommandInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if len(in.InstanceIds) > 50 {
		return nil, clientErr("ValidationException", "at most 50 InstanceIds")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.commands[in.CommandId]
	if !ok || c.region != region {
		return nil, clientErr("InvalidCommandId", "command %s does not exist", in.CommandId)
	}
	for _, inv := range c.invs {
		if len(in.InstanceIds) > 0 && !contains(in.InstanceIds, inv.inst.ID) {
			continue
		}
		if !inv.done {
			inv.cancel()
			inv.status, inv.details, inv.done, inv.ended = "Cancelled", "Cancelled", true, s.clock.Now()
		}
	}
	return map[string]any{}, nil
}
