package policy

import (
	_ "embed"
	"maps"
	"slices"
	"strings"
	"sync"
)

// ActionSpec describes one IAM action as the AWS Service Authorization
// Reference lists it.
type ActionSpec struct {
	// Service is the service prefix ("kms").
	Service string
	// Name is the action name as AWS spells it ("Decrypt").
	Name string
	// AccessLevel is "List", "Read", "Write", "Permissions management" or
	// "Tagging".
	AccessLevel string
	// Resources are the resource types the action applies to; a trailing
	// "*" marks a required one ("key*"). Empty for actions without
	// resource-level permissions (Resource must be "*").
	Resources []string
	// ConditionKeys are the condition keys the action supports (besides
	// the global aws: keys every request carries).
	ConditionKeys []string
}

//go:embed data/actions.tsv
var catalogTSV string

type catalogData struct {
	actions   map[string]*ActionSpec // "kms:decrypt"
	byService map[string][]*ActionSpec
	services  map[string]string            // prefix -> service name
	resources map[string]map[string]string // prefix -> resource type -> ARN format
	keys      map[string]string            // lowercased condition key -> type
	templates []keyTemplate                // templated keys (aws:ResourceTag/${TagKey}), in catalog order
	seenTmpl  map[string]bool              // lowercased templated keys already in templates

	// Dense action numbering for the evaluator's per-statement action sets
	// (actionset.go): ids maps "kms:decrypt" to its number, names is the
	// reverse, svcIDs lists the numbers of each service's actions.
	ids    map[string]int32
	names  []string
	svcIDs map[string][]int32
}

var (
	catalogOnce sync.Once
	catalog     *catalogData
)

func loadCatalog() *catalogData {
	catalogOnce.Do(func() {
		c := &catalogData{
			actions: map[string]*ActionSpec{}, byService: map[string][]*ActionSpec{},
			services: map[string]string{}, resources: map[string]map[string]string{},
			keys: map[string]string{}, seenTmpl: map[string]bool{},
			ids: map[string]int32{}, svcIDs: map[string][]int32{},
		}
		svc := ""
		for _, line := range strings.Split(catalogTSV, "\n") {
			if line == "" || line[0] == '#' {
				continue
			}
			f := strings.Split(line, "\t")
			switch {
			case f[0] == "S" && len(f) >= 3:
				svc = f[1]
				c.services[svc] = f[2]
				c.resources[svc] = map[string]string{}
			case f[0] == "A" && len(f) >= 5:
				a := &ActionSpec{Service: svc, Name: f[1], AccessLevel: f[2], Resources: splitList(f[3]), ConditionKeys: splitList(f[4])}
				lname := strings.ToLower(svc + ":" + a.Name)
				c.actions[lname] = a
				if _, dup := c.ids[lname]; !dup {
					id := int32(len(c.names))
					c.ids[lname] = id
					c.names = append(c.names, lname)
					c.svcIDs[svc] = append(c.svcIDs[svc], id)
				}
				c.byService[svc] = append(c.byService[svc], a)
			case f[0] == "R" && len(f) >= 3:
				c.resources[svc][f[1]] = f[2]
			case f[0] == "K" && len(f) >= 3:
				c.addKey(f[1], f[2])
			}
		}
		for _, k := range slices.Sorted(maps.Keys(globalKeys)) {
			c.addKey(k, globalKeys[k])
		}
		catalog = c
	})
	return catalog
}

func (c *catalogData) addKey(key, typ string) {
	if t, ok := parseKeyTemplate(key, typ); ok {
		if lk := strings.ToLower(key); !c.seenTmpl[lk] {
			c.seenTmpl[lk] = true
			c.templates = append(c.templates, t)
		}
		return
	}
	c.keys[strings.ToLower(key)] = typ
}

// keyType returns the documented type of a condition key ("String",
// "ArrayOfString", "ARN", "Bool", "Numeric", "Date", "IPAddress", ...). A
// key that instantiates a templated catalog key (secretsmanager:ResourceTag/team
// for secretsmanager:ResourceTag/tag-key) has the template's type.
func (c *catalogData) keyType(key string) (string, bool) {
	lk := strings.ToLower(key)
	if t, ok := c.keys[lk]; ok {
		return t, true
	}
	best := -1
	typ := ""
	for _, t := range c.templates {
		if t.literal > best && t.match(lk) {
			best, typ = t.literal, t.typ
		}
	}
	return typ, best >= 0
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// LookupAction finds an action ("kms:Decrypt", case-insensitive) in the
// embedded catalog, which covers kms, secretsmanager, iam and sts.
func LookupAction(action string) (ActionSpec, bool) {
	a, ok := loadCatalog().actions[strings.ToLower(action)]
	if !ok {
		return ActionSpec{}, false
	}
	out := *a
	out.Resources = append([]string(nil), a.Resources...)
	out.ConditionKeys = append([]string(nil), a.ConditionKeys...)
	return out, true
}

// IsReadOnly reports whether an action's access level is List or Read.
// For a pattern such as "kms:Describe*" it reports whether every catalog
// action the pattern matches is List or Read (and at least one matches).
func IsReadOnly(action string) bool {
	matches := MatchActions(action)
	for _, a := range matches {
		if a.AccessLevel != "List" && a.AccessLevel != "Read" {
			return false
		}
	}
	return len(matches) > 0
}

// MatchActions returns the catalog actions an Action pattern covers
// ("kms:Get*", "iam:*"), or nil when the service is not in the catalog.
func MatchActions(pattern string) []ActionSpec {
	c := loadCatalog()
	i := strings.IndexByte(pattern, ':')
	if i < 0 {
		return nil
	}
	svc := strings.ToLower(pattern[:i])
	lp := strings.ToLower(pattern)
	var out []ActionSpec
	for _, a := range c.byService[svc] {
		if glob(lp, svc+":"+a.Name, true) {
			out = append(out, *a)
		}
	}
	return out
}

// KnownService reports whether the catalog covers a service prefix.
func KnownService(prefix string) bool {
	_, ok := loadCatalog().services[strings.ToLower(prefix)]
	return ok
}

// globalKeys are the AWS global condition keys with their types (IAM User
// Guide, "AWS global condition context keys"). Templated keys end in "/${…}".
var globalKeys = map[string]string{
	"aws:CalledVia": "ArrayOfString", "aws:CalledViaFirst": "String", "aws:CalledViaLast": "String",
	"aws:CurrentTime": "Date", "aws:EpochTime": "Date", "aws:FederatedProvider": "String",
	"aws:MultiFactorAuthAge": "Numeric", "aws:MultiFactorAuthPresent": "Bool",
	"aws:PrincipalAccount": "String", "aws:PrincipalArn": "ARN", "aws:PrincipalIsAWSService": "Bool",
	"aws:PrincipalOrgID": "String", "aws:PrincipalOrgPaths": "ArrayOfString",
	"aws:PrincipalServiceName": "String", "aws:PrincipalServiceNamesList": "ArrayOfString",
	"aws:PrincipalTag/${TagKey}": "String", "aws:PrincipalType": "String",
	"aws:Referer": "String", "aws:RequestedRegion": "String", "aws:RequestTag/${TagKey}": "String",
	"aws:ResourceAccount": "String", "aws:ResourceOrgID": "String", "aws:ResourceOrgPaths": "ArrayOfString",
	"aws:ResourceTag/${TagKey}": "String", "aws:SecureTransport": "Bool", "aws:SourceAccount": "String",
	"aws:SourceArn": "ARN", "aws:SourceIdentity": "String", "aws:SourceIp": "IPAddress",
	"aws:SourceOrgID": "String", "aws:SourceOrgPaths": "ArrayOfString", "aws:SourceVpc": "String",
	"aws:SourceVpcArn": "ARN", "aws:SourceVpce": "String", "aws:TagKeys": "ArrayOfString",
	"aws:TokenIssueTime": "Date", "aws:UserAgent": "String", "aws:userid": "String", "aws:username": "String",
	"aws:ViaAWSService": "Bool", "aws:VpcSourceIp": "IPAddress", "aws:VpceAccount": "String",
	"aws:VpceOrgID": "String", "aws:VpceOrgPaths": "ArrayOfString",
	"aws:Ec2InstanceSourceVpc": "String", "aws:Ec2InstanceSourcePrivateIPv4": "IPAddress",
	"aws:AssumedRoot": "Bool", "aws:ChatbotSourceArn": "ARN",
}
