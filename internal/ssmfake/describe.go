package ssmfake

import (
	"context"
	"fmt"
	"strings"
	"time"
)

type stringFilter struct {
	Key    string
	Values []string
}

type legacyFilter struct {
	Key      string   `json:"key"`
	ValueSet []string `json:"valueSet"`
}

type describeInput struct {
	Filters                       []stringFilter
	InstanceInformationFilterList []legacyFilter
	MaxResults                    int
	NextToken                     string
}

var describeFilterKeys = map[string]bool{
	"ActivationIds": true, "AgentVersion": true, "AssociationStatus": true, "IamRole": true,
	"InstanceIds": true, "PingStatus": true, "PlatformTypes": true, "ResourceType": true,
	"SourceIds": true, "SourceTypes": true, "tag-key": true,
}

func (s *Server) describeInstanceInformation(ctx context.Context, region string, body []byte) (any, *apiError) {
	var in describeInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if len(in.Filters) > 0 && len(in.InstanceInformationFilterList) > 0 {
		return nil, clientErr("InvalidInstanceInformationFilterValue", "Filters and InstanceInformationFilterList cannot be used together")
	}
	filters := in.Filters
	for _, f := range in.InstanceInformationFilterList {
		// The legacy filter's keys name the same fields as the current one's.
		filters = append(filters, stringFilter{Key: f.Key, Values: f.ValueSet})
	}
	tags, others := 0, 0
	for _, f := range filters {
		isTag := strings.HasPrefix(f.Key, "tag:") || f.Key == "tag-key"
		if !isTag && !describeFilterKeys[f.Key] {
			return nil, clientErr("InvalidFilterKey", "filter key %q is not valid", f.Key)
		}
		if len(f.Values) < 1 || len(f.Values) > 100 {
			return nil, clientErr("InvalidInstanceInformationFilterValue", "filter %s must have 1-100 values", f.Key)
		}
		if isTag {
			tags++
		} else {
			others++
		}
	}
	if tags > 0 && others > 0 {
		return nil, clientErr("InvalidFilterKey", "Tag filters can't be combined with other filter types")
	}

	s.mu.Lock()
	var list []*Instance
	for _, inst := range s.instances {
		if elsewhere(ctx, inst, region) || inst.Unmanaged {
			continue
		}
		if s.profile.IgnoreFilters || describeMatches(inst, filters) {
			list = append(list, inst)
		}
	}
	s.mu.Unlock()
	from, to, next, err := s.page(len(list), in.MaxResults, in.NextToken, 10, 5, 50)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, inst := range list[from:to] {
		if s.profile.Sparse {
			out = append(out, map[string]any{"InstanceId": inst.ID})
			continue
		}
		out = append(out, s.infoView(inst))
	}
	res := map[string]any{"InstanceInformationList": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

func describeMatches(in *Instance, fs []stringFilter) bool {
	for _, f := range fs {
		var ok bool
		switch {
		case f.Key == "InstanceIds":
			ok = contains(f.Values, in.ID)
		case f.Key == "PingStatus":
			ok = contains(f.Values, in.ping())
		case f.Key == "PlatformTypes":
			ok = contains(f.Values, in.platform())
		case f.Key == "ResourceType":
			ok = contains(f.Values, "EC2Instance")
		case f.Key == "tag-key" || strings.HasPrefix(f.Key, "tag:"):
			ok = matchTarget(in, target(f))
		default:
			ok = true // accepted, not modelled
		}
		if !ok {
			return false
		}
	}
	return true
}

func (s *Server) lastPing(in *Instance) time.Time {
	if in.ping() == "Online" {
		return s.clock.Now().Add(-30 * time.Second)
	}
	return s.start.Add(-72 * time.Hour)
}

func (s *Server) infoView(in *Instance) map[string]any {
	name, version := in.PlatformName, in.PlatformVersion
	if name == "" {
		name = in.platform()
	}
	return map[string]any{
		"InstanceId":       in.ID,
		"PingStatus":       in.ping(),
		"LastPingDateTime": s.ts(s.lastPing(in)),
		"AgentVersion":     "3.3.1142.0",
		"IsLatestVersion":  false,
		"PlatformType":     in.platform(),
		"PlatformName":     name,
		"PlatformVersion":  version,
		"ResourceType":     "EC2Instance",
		"ComputerName":     in.computerName(),
		"IPAddress":        in.ipAddress(),
		"SourceId":         in.ID,
		"SourceType":       "AWS::EC2::Instance",
		"RegistrationDate": s.ts(s.start.Add(-90 * 24 * time.Hour)),
	}
}

func (in *Instance) computerName() string {
	if in.ComputerName != "" {
		return in.ComputerName
	}
	return "ip-" + in.ID + ".ec2.internal"
}

func (in *Instance) ipAddress() string {
	if in.IPAddress != "" {
		return in.IPAddress
	}
	var h uint32
	for _, c := range in.ID {
		h = h*31 + uint32(c)
	}
	return fmt.Sprintf("10.%d.%d.%d", h>>16&0xff, h>>8&0xff, h&0xff|1)
}

type inventoryFilter struct {
	Key    string
	Values []string
	Type   string
}

type getInventoryInput struct {
	Filters          []inventoryFilter
	Aggregators      []map[string]any
	ResultAttributes []struct{ TypeName string }
	MaxResults       int
	NextToken        string
}

func (s *Server) getInventory(ctx context.Context, region string, body []byte) (any, *apiError) {
	var in getInventoryInput
	if err := decode(body, &in); err != nil {
		return nil, err
	}
	if len(in.Aggregators) > 0 {
		return nil, clientErr("InvalidAggregatorException", "aggregators are not modelled by this fake")
	}
	if len(in.Filters) > 5 {
		return nil, clientErr("ValidationException", "at most 5 filters")
	}
	types := []string{"AWS:InstanceInformation", "AWS:Application"}
	if in.ResultAttributes != nil {
		if len(in.ResultAttributes) != 1 {
			return nil, clientErr("ValidationException", "ResultAttributes must hold exactly 1 item")
		}
		t := in.ResultAttributes[0].TypeName
		if t != "AWS:InstanceInformation" && t != "AWS:Application" {
			return nil, clientErr("InvalidResultAttributeException", "type %s is not modelled by this fake", t)
		}
		types = []string{t}
	}
	for _, f := range in.Filters {
		if f.Key != "AWS:InstanceInformation.InstanceId" {
			return nil, clientErr("InvalidFilter", "filter key %s is not modelled by this fake", f.Key)
		}
		if len(f.Values) < 1 || len(f.Values) > 40 {
			return nil, clientErr("InvalidFilter", "a filter holds 1-40 values")
		}
		if f.Type != "" && f.Type != "Equal" {
			return nil, clientErr("InvalidFilter", "filter type %s is not modelled by this fake", f.Type)
		}
	}
	s.mu.Lock()
	var list []*Instance
	for _, inst := range s.instances {
		if elsewhere(ctx, inst, region) || inst.Unmanaged || !inst.Inventory {
			continue
		}
		ok := true
		for _, f := range in.Filters {
			ok = ok && contains(f.Values, inst.ID)
		}
		if ok {
			list = append(list, inst)
		}
	}
	s.mu.Unlock()
	from, to, next, err := s.page(len(list), in.MaxResults, in.NextToken, 50, 1, 50)
	if err != nil {
		return nil, err
	}
	capture := s.start.Add(-6 * time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	out := []any{}
	for _, inst := range list[from:to] {
		data := map[string]any{}
		for _, t := range types {
			var content []map[string]string
			if t == "AWS:InstanceInformation" {
				content = []map[string]string{{
					"AgentType": "amazon-ssm-agent", "AgentVersion": "3.3.1142.0",
					"ComputerName": inst.computerName(), "InstanceId": inst.ID, "IpAddress": inst.ipAddress(),
					"PlatformName": inst.PlatformName, "PlatformType": inst.platform(),
					"PlatformVersion": inst.PlatformVersion, "ResourceType": "EC2Instance",
					"InstanceStatus": "Active",
				}}
			} else {
				apps, err := s.applications(ctx, inst)
				if err != nil {
					return nil, &apiError{status: 500, code: "InternalServerError", msg: err.Error()}
				}
				content = apps
			}
			data[t] = map[string]any{
				"TypeName": t, "SchemaVersion": schemaVersion(t), "CaptureTime": capture,
				"ContentHash": fmt.Sprintf("%x", len(content)), "Content": content,
			}
		}
		out = append(out, map[string]any{"Id": inst.ID, "Data": data})
	}
	res := map[string]any{"Entities": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

func schemaVersion(t string) string {
	if t == "AWS:Application" {
		return "1.1"
	}
	return "1.0"
}
