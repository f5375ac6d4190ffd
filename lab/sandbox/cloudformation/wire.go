package cloudformation

// Wire shapes: each is the inner <OpResult> element of a Query response,
// with members named as the CloudFormation API model names them.

type xmlParameter struct {
	ParameterKey   string `xml:"ParameterKey"`
	ParameterValue string `xml:"ParameterValue"`
}

type xmlOutput struct {
	OutputKey   string `xml:"OutputKey"`
	OutputValue string `xml:"OutputValue"`
	Description string `xml:"Description,omitempty"`
	ExportName  string `xml:"ExportName,omitempty"`
}

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type xmlDrift struct {
	StackDriftStatus string `xml:"StackDriftStatus"`
}

type xmlResourceDrift struct {
	StackResourceDriftStatus string `xml:"StackResourceDriftStatus"`
}

type xmlStack struct {
	StackID                     string         `xml:"StackId"`
	StackName                   string         `xml:"StackName"`
	ChangeSetID                 string         `xml:"ChangeSetId,omitempty"`
	Description                 string         `xml:"Description,omitempty"`
	Parameters                  []xmlParameter `xml:"Parameters>member"`
	CreationTime                string         `xml:"CreationTime"`
	DeletionTime                *string        `xml:"DeletionTime,omitempty"`
	LastUpdatedTime             *string        `xml:"LastUpdatedTime,omitempty"`
	StackStatus                 string         `xml:"StackStatus"`
	StackStatusReason           string         `xml:"StackStatusReason,omitempty"`
	DisableRollback             bool           `xml:"DisableRollback"`
	NotificationARNs            []string       `xml:"NotificationARNs>member"`
	Capabilities                []string       `xml:"Capabilities>member,omitempty"`
	Outputs                     []xmlOutput    `xml:"Outputs>member,omitempty"`
	Tags                        []xmlTag       `xml:"Tags>member"`
	EnableTerminationProtection bool           `xml:"EnableTerminationProtection"`
	DriftInformation            xmlDrift       `xml:"DriftInformation"`
}

type describeStacksResult struct {
	Stacks []xmlStack `xml:"Stacks>member"`
}

type stackIDResult struct {
	StackID string `xml:"StackId"`
}

type xmlStackSummary struct {
	StackID             string   `xml:"StackId"`
	StackName           string   `xml:"StackName"`
	TemplateDescription string   `xml:"TemplateDescription,omitempty"`
	CreationTime        string   `xml:"CreationTime"`
	LastUpdatedTime     *string  `xml:"LastUpdatedTime,omitempty"`
	DeletionTime        *string  `xml:"DeletionTime,omitempty"`
	StackStatus         string   `xml:"StackStatus"`
	StackStatusReason   string   `xml:"StackStatusReason,omitempty"`
	DriftInformation    xmlDrift `xml:"DriftInformation"`
}

type listStacksResult struct {
	StackSummaries []xmlStackSummary `xml:"StackSummaries>member"`
}

type xmlEvent struct {
	StackID              string `xml:"StackId"`
	EventID              string `xml:"EventId"`
	StackName            string `xml:"StackName"`
	LogicalResourceID    string `xml:"LogicalResourceId"`
	PhysicalResourceID   string `xml:"PhysicalResourceId"`
	ResourceType         string `xml:"ResourceType"`
	Timestamp            string `xml:"Timestamp"`
	ResourceStatus       string `xml:"ResourceStatus"`
	ResourceStatusReason string `xml:"ResourceStatusReason,omitempty"`
	ClientRequestToken   string `xml:"ClientRequestToken,omitempty"`
}

type describeStackEventsResult struct {
	StackEvents []xmlEvent `xml:"StackEvents>member"`
}

type xmlStackResource struct {
	StackName            string           `xml:"StackName"`
	StackID              string           `xml:"StackId"`
	LogicalResourceID    string           `xml:"LogicalResourceId"`
	PhysicalResourceID   string           `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string           `xml:"ResourceType"`
	Timestamp            string           `xml:"Timestamp"`
	ResourceStatus       string           `xml:"ResourceStatus"`
	ResourceStatusReason string           `xml:"ResourceStatusReason,omitempty"`
	DriftInformation     xmlResourceDrift `xml:"DriftInformation"`
}

type describeStackResourcesResult struct {
	StackResources []xmlStackResource `xml:"StackResources>member"`
}

type xmlStackResourceDetail struct {
	StackName            string           `xml:"StackName"`
	StackID              string           `xml:"StackId"`
	LogicalResourceID    string           `xml:"LogicalResourceId"`
	PhysicalResourceID   string           `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string           `xml:"ResourceType"`
	LastUpdatedTimestamp string           `xml:"LastUpdatedTimestamp"`
	ResourceStatus       string           `xml:"ResourceStatus"`
	ResourceStatusReason string           `xml:"ResourceStatusReason,omitempty"`
	Metadata             string           `xml:"Metadata,omitempty"`
	DriftInformation     xmlResourceDrift `xml:"DriftInformation"`
}

type describeStackResourceResult struct {
	StackResourceDetail xmlStackResourceDetail `xml:"StackResourceDetail"`
}

type xmlResourceSummary struct {
	LogicalResourceID    string           `xml:"LogicalResourceId"`
	PhysicalResourceID   string           `xml:"PhysicalResourceId,omitempty"`
	ResourceType         string           `xml:"ResourceType"`
	LastUpdatedTimestamp string           `xml:"LastUpdatedTimestamp"`
	ResourceStatus       string           `xml:"ResourceStatus"`
	ResourceStatusReason string           `xml:"ResourceStatusReason,omitempty"`
	DriftInformation     xmlResourceDrift `xml:"DriftInformation"`
}

type listStackResourcesResult struct {
	StackResourceSummaries []xmlResourceSummary `xml:"StackResourceSummaries>member"`
}

type getTemplateResult struct {
	TemplateBody    string   `xml:"TemplateBody"`
	StagesAvailable []string `xml:"StagesAvailable>member"`
}

type xmlTemplateParameter struct {
	ParameterKey string `xml:"ParameterKey"`
	DefaultValue string `xml:"DefaultValue,omitempty"`
	NoEcho       bool   `xml:"NoEcho"`
	Description  string `xml:"Description,omitempty"`
}

type validateTemplateResult struct {
	Parameters         []xmlTemplateParameter `xml:"Parameters>member"`
	Description        string                 `xml:"Description,omitempty"`
	Capabilities       []string               `xml:"Capabilities>member,omitempty"`
	CapabilitiesReason string                 `xml:"CapabilitiesReason,omitempty"`
	DeclaredTransforms []string               `xml:"DeclaredTransforms>member,omitempty"`
}

type xmlParameterDeclaration struct {
	ParameterKey         string `xml:"ParameterKey"`
	DefaultValue         string `xml:"DefaultValue,omitempty"`
	ParameterType        string `xml:"ParameterType"`
	NoEcho               bool   `xml:"NoEcho"`
	Description          string `xml:"Description,omitempty"`
	ParameterConstraints struct {
		AllowedValues []string `xml:"AllowedValues>member,omitempty"`
	} `xml:"ParameterConstraints"`
}

type getTemplateSummaryResult struct {
	Parameters         []xmlParameterDeclaration `xml:"Parameters>member"`
	Description        string                    `xml:"Description,omitempty"`
	Capabilities       []string                  `xml:"Capabilities>member,omitempty"`
	CapabilitiesReason string                    `xml:"CapabilitiesReason,omitempty"`
	ResourceTypes      []string                  `xml:"ResourceTypes>member"`
	Version            string                    `xml:"Version,omitempty"`
	Metadata           string                    `xml:"Metadata,omitempty"`
	DeclaredTransforms []string                  `xml:"DeclaredTransforms>member,omitempty"`
}

type createChangeSetResult struct {
	ID      string `xml:"Id"`
	StackID string `xml:"StackId"`
}

type xmlResourceChange struct {
	Action             string `xml:"Action"`
	LogicalResourceID  string `xml:"LogicalResourceId"`
	PhysicalResourceID string `xml:"PhysicalResourceId,omitempty"`
	ResourceType       string `xml:"ResourceType"`
	Replacement        string `xml:"Replacement,omitempty"`
}

type xmlChange struct {
	Type           string            `xml:"Type"`
	ResourceChange xmlResourceChange `xml:"ResourceChange"`
}

type describeChangeSetResult struct {
	ChangeSetName    string         `xml:"ChangeSetName"`
	ChangeSetID      string         `xml:"ChangeSetId"`
	StackID          string         `xml:"StackId"`
	StackName        string         `xml:"StackName"`
	Description      string         `xml:"Description,omitempty"`
	Parameters       []xmlParameter `xml:"Parameters>member,omitempty"`
	CreationTime     string         `xml:"CreationTime"`
	ExecutionStatus  string         `xml:"ExecutionStatus"`
	Status           string         `xml:"Status"`
	StatusReason     string         `xml:"StatusReason,omitempty"`
	NotificationARNs []string       `xml:"NotificationARNs>member"`
	Capabilities     []string       `xml:"Capabilities>member,omitempty"`
	Tags             []xmlTag       `xml:"Tags>member"`
	Changes          []xmlChange    `xml:"Changes>member"`
}

type xmlChangeSetSummary struct {
	StackID         string `xml:"StackId"`
	StackName       string `xml:"StackName"`
	ChangeSetID     string `xml:"ChangeSetId"`
	ChangeSetName   string `xml:"ChangeSetName"`
	ExecutionStatus string `xml:"ExecutionStatus"`
	Status          string `xml:"Status"`
	StatusReason    string `xml:"StatusReason,omitempty"`
	CreationTime    string `xml:"CreationTime"`
	Description     string `xml:"Description,omitempty"`
}

type listChangeSetsResult struct {
	Summaries []xmlChangeSetSummary `xml:"Summaries>member"`
}

type xmlExport struct {
	ExportingStackID string `xml:"ExportingStackId"`
	Name             string `xml:"Name"`
	Value            string `xml:"Value"`
}

type listExportsResult struct {
	Exports []xmlExport `xml:"Exports>member"`
}

// emptyResult is an operation's empty <OpResult/>.
type emptyResult struct{}
