package iam

import "time"

// Wire shapes of IAM's Query responses: each is the inner <OpResult>
// element, with members named as the API model names them.

const isoTime = "2006-01-02T15:04:05Z"

func ts(t time.Time) string { return t.UTC().Format(isoTime) }

// xmlTags is an optional Tags list: nil leaves the element out, as AWS
// does for entities without tags (encoding/xml would write an empty
// <Tags/> for a nil slice under "Tags>member").
type xmlTags struct {
	Member []Tag `xml:"member"`
}

func tagsXML(tags []Tag) *xmlTags {
	if len(tags) == 0 {
		return nil
	}
	return &xmlTags{Member: tags}
}

type xmlBoundary struct {
	PermissionsBoundaryType string `xml:"PermissionsBoundaryType"`
	PermissionsBoundaryArn  string `xml:"PermissionsBoundaryArn"`
}

type xmlUser struct {
	Path                string       `xml:"Path"`
	UserName            string       `xml:"UserName"`
	UserID              string       `xml:"UserId"`
	Arn                 string       `xml:"Arn"`
	CreateDate          string       `xml:"CreateDate"`
	PermissionsBoundary *xmlBoundary `xml:"PermissionsBoundary,omitempty"`
	Tags                *xmlTags     `xml:"Tags,omitempty"`
}

type xmlGroup struct {
	Path       string `xml:"Path"`
	GroupName  string `xml:"GroupName"`
	GroupID    string `xml:"GroupId"`
	Arn        string `xml:"Arn"`
	CreateDate string `xml:"CreateDate"`
}

type xmlRole struct {
	Path                     string       `xml:"Path"`
	RoleName                 string       `xml:"RoleName"`
	RoleID                   string       `xml:"RoleId"`
	Arn                      string       `xml:"Arn"`
	CreateDate               string       `xml:"CreateDate"`
	AssumeRolePolicyDocument string       `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string       `xml:"Description,omitempty"`
	MaxSessionDuration       int          `xml:"MaxSessionDuration,omitempty"`
	PermissionsBoundary      *xmlBoundary `xml:"PermissionsBoundary,omitempty"`
	Tags                     *xmlTags     `xml:"Tags,omitempty"`
}

type xmlPolicy struct {
	PolicyName                    string   `xml:"PolicyName"`
	PolicyID                      string   `xml:"PolicyId"`
	Arn                           string   `xml:"Arn"`
	Path                          string   `xml:"Path"`
	DefaultVersionID              string   `xml:"DefaultVersionId"`
	AttachmentCount               int      `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int      `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool     `xml:"IsAttachable"`
	Description                   string   `xml:"Description,omitempty"`
	CreateDate                    string   `xml:"CreateDate"`
	UpdateDate                    string   `xml:"UpdateDate"`
	Tags                          *xmlTags `xml:"Tags,omitempty"`
}

type xmlPolicyVersion struct {
	Document         string `xml:"Document,omitempty"`
	VersionID        string `xml:"VersionId"`
	IsDefaultVersion bool   `xml:"IsDefaultVersion"`
	CreateDate       string `xml:"CreateDate"`
}

type xmlAttached struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

type xmlAccessKey struct {
	UserName        string `xml:"UserName"`
	AccessKeyID     string `xml:"AccessKeyId"`
	Status          string `xml:"Status"`
	SecretAccessKey string `xml:"SecretAccessKey,omitempty"`
	CreateDate      string `xml:"CreateDate"`
}

type xmlInline struct {
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func (e *entity) boundaryXML() *xmlBoundary {
	if e.Boundary == "" {
		return nil
	}
	return &xmlBoundary{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: e.Boundary}
}

func (e *entity) userXML() xmlUser {
	return xmlUser{Path: e.Path, UserName: e.Name, UserID: e.ID, Arn: e.ARN, CreateDate: ts(e.Created),
		PermissionsBoundary: e.boundaryXML(), Tags: tagsXML(e.Tags)}
}

func (e *entity) groupXML() xmlGroup {
	return xmlGroup{Path: e.Path, GroupName: e.Name, GroupID: e.ID, Arn: e.ARN, CreateDate: ts(e.Created)}
}

func (e *entity) roleXML() xmlRole {
	return xmlRole{Path: e.Path, RoleName: e.Name, RoleID: e.ID, Arn: e.ARN, CreateDate: ts(e.Created),
		AssumeRolePolicyDocument: encodeDocument(e.TrustPolicy), Description: e.Description,
		MaxSessionDuration: e.MaxSession, PermissionsBoundary: e.boundaryXML(), Tags: tagsXML(e.Tags)}
}

func (p *managedPolicy) xml(attachments, boundaryUses int) xmlPolicy {
	return xmlPolicy{PolicyName: p.Name, PolicyID: p.ID, Arn: p.ARN, Path: p.Path, DefaultVersionID: p.Default,
		AttachmentCount: attachments, PermissionsBoundaryUsageCount: boundaryUses, IsAttachable: true,
		Description: p.Description, CreateDate: ts(p.Created), UpdateDate: ts(p.Updated), Tags: tagsXML(p.Tags)}
}
