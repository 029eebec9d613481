package inventory

// Tag keys a collector output's T records may carry to name its host, as
// EC2 tags would for an SSM scan: the demo fleet carries both, and a
// wrapper script that saves outputs for 'scan --import' can add them.
const (
	TagInstanceID = "InstanceId"
	TagName       = "Name"
)

// Identify returns the id and name a parsed collector output gives its
// host. The id is the InstanceId tag, else the collector's hostname, else
// fallback; the name is the Name tag, else the hostname, else fallback. An
// instance id comes first because it stays the same when a machine is
// renamed or several machines share a hostname. A nil report gets fallback.
func Identify(r *Report, fallback string) (id, name string) {
	id, name = fallback, fallback
	if r == nil {
		return id, name
	}
	if h := r.Facts.Hostname; h != "" {
		id, name = h, h
	}
	if v := r.Tags[TagInstanceID]; v != "" {
		id = v
	}
	if v := r.Tags[TagName]; v != "" {
		name = v
	}
	return id, name
}
