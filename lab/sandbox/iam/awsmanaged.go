package iam

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// The AWS managed policies lessons use, with the documents AWS ships (see
// managed/index.json for their versions and sources).
//
//go:embed managed/*.json
var managedFS embed.FS

type managedIndexEntry struct {
	Name             string    `json:"name"`
	ARN              string    `json:"arn"`
	Path             string    `json:"path"`
	PolicyID         string    `json:"policyId"`
	DefaultVersionID string    `json:"defaultVersionId"`
	Created          time.Time `json:"created"`
	Updated          time.Time `json:"updated"`
	File             string    `json:"file"`
}

// awsManaged maps ARN to the embedded AWS managed policy.
var awsManaged = map[string]*managedPolicy{}

// awsManagedARNs are their ARNs sorted by policy name.
var awsManagedARNs []string

func init() {
	if err := loadAWSManaged(); err != nil {
		panic("iam: embedded managed policies: " + err.Error())
	}
}

func loadAWSManaged() error {
	b, err := managedFS.ReadFile("managed/index.json")
	if err != nil {
		return err
	}
	var idx []managedIndexEntry
	if err := json.Unmarshal(b, &idx); err != nil {
		return fmt.Errorf("index.json: %w", err)
	}
	for _, e := range idx {
		doc, err := managedFS.ReadFile("managed/" + e.File)
		if err != nil {
			return err
		}
		awsManaged[e.ARN] = &managedPolicy{
			Account: "aws", Name: e.Name, Path: e.Path, ID: e.PolicyID, ARN: e.ARN,
			Created: e.Created, Updated: e.Updated, Default: e.DefaultVersionID,
			Versions: []policyVersion{{ID: e.DefaultVersionID, Document: string(doc), Created: e.Updated}},
		}
		awsManagedARNs = append(awsManagedARNs, e.ARN)
	}
	sort.Slice(awsManagedARNs, func(i, j int) bool {
		return awsManaged[awsManagedARNs[i]].Name < awsManaged[awsManagedARNs[j]].Name
	})
	return nil
}
