package template

import (
	"fmt"
	"maps"
	"strings"
)

// ServerlessTransform is the AWS SAM transform's name.
const ServerlessTransform = "AWS::Serverless-2016-10-31"

// policyTemplates are the SAM policy templates the sandbox knows: the
// statements AWS SAM's policy_templates.json defines for them, with the
// template's parameters as ${Name}-style Fn::Sub variables.
var policyTemplates = map[string]struct {
	params     []string
	statements []map[string]any
}{
	"AWSSecretsManagerGetSecretValuePolicy": {
		params: []string{"SecretArn"},
		statements: []map[string]any{{
			"Effect": "Allow", "Action": []any{"secretsmanager:GetSecretValue"},
			"Resource": "${SecretArn}",
		}},
	},
	"KMSDecryptPolicy": {
		params: []string{"KeyId"},
		statements: []map[string]any{{
			"Effect": "Allow", "Action": []any{"kms:Decrypt"},
			"Resource": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}",
		}},
	},
	"KMSEncryptPolicy": {
		params: []string{"KeyId"},
		statements: []map[string]any{{
			"Effect": "Allow", "Action": []any{"kms:Encrypt"},
			"Resource": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}",
		}},
	},
	"CloudFormationDescribeStacksPolicy": {
		statements: []map[string]any{{
			"Effect": "Allow", "Action": []any{"cloudformation:DescribeStacks"},
			"Resource": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*",
		}},
	},
	"CloudWatchPutMetricPolicy": {
		statements: []map[string]any{{
			"Effect": "Allow", "Action": []any{"cloudwatch:PutMetricData"}, "Resource": "*",
		}},
	},
	"LambdaInvokePolicy": {
		params: []string{"FunctionName"},
		statements: []map[string]any{{
			"Effect": "Allow", "Action": []any{"lambda:InvokeFunction"},
			"Resource": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*",
		}},
	},
}

func samError(id, format string, args ...any) error {
	return Errorf("Transform %s failed with: Invalid Serverless Application Specification document. Number of errors found: 1. Resource with id [%s] is invalid. %s",
		ServerlessTransform, id, fmt.Sprintf(format, args...))
}

// ExpandServerless applies the AWS::Serverless-2016-10-31 transform in
// place: each AWS::Serverless::Function becomes an AWS::Lambda::Function
// and, unless it names a Role, an execution role <LogicalId>Role built from
// its Policies (managed policy names or ARNs, policy documents and SAM
// policy templates). globals is the template's Globals section.
func (t *Template) ExpandServerless(globals map[string]any) error {
	fnGlobals, _ := globals["Function"].(map[string]any)
	for _, id := range t.ResourceIDs() {
		r := t.Resources[id]
		if !strings.HasPrefix(r.Type, "AWS::Serverless::") {
			continue
		}
		if r.Type != "AWS::Serverless::Function" {
			return samError(id, "Resource type %s is not supported by the seclab sandbox.", r.Type)
		}
		props := maps.Clone(fnGlobals)
		if props == nil {
			props = map[string]any{}
		}
		maps.Copy(props, r.Properties)
		fn := map[string]any{}
		for _, k := range []string{"Handler", "Runtime", "Description", "MemorySize", "Timeout",
			"Environment", "KmsKeyArn", "Architectures", "PackageType", "FunctionName", "Layers"} {
			if v, ok := props[k]; ok {
				fn[k] = v
			}
		}
		switch {
		case props["InlineCode"] != nil:
			fn["Code"] = map[string]any{"ZipFile": props["InlineCode"]}
		case props["CodeUri"] != nil:
			fn["Code"] = props["CodeUri"]
		}
		fn["Tags"] = []any{map[string]any{"Key": "lambda:createdBy", "Value": "SAM"}}
		if role, ok := props["Role"]; ok {
			fn["Role"] = role
		} else {
			roleID := id + "Role"
			if _, clash := t.Resources[roleID]; clash {
				return samError(id, "Resource %s already exists in the template.", roleID)
			}
			role, err := samRole(id, roleID, props)
			if err != nil {
				return err
			}
			t.Resources[roleID] = role
			fn["Role"] = map[string]any{"Fn::GetAtt": []any{roleID, "Arn"}}
			r.DependsOn = append(r.DependsOn, roleID)
		}
		r.Type = "AWS::Lambda::Function"
		r.Properties = fn
	}
	return nil
}

func samRole(fnID, roleID string, props map[string]any) (*Resource, error) {
	managed := []any{map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}}
	var inline []any
	var list []any
	switch p := props["Policies"].(type) {
	case nil:
	case []any:
		list = p
	default:
		list = []any{p}
	}
	for i, p := range list {
		switch p := p.(type) {
		case string:
			if strings.HasPrefix(p, "arn:") {
				managed = append(managed, p)
			} else {
				managed = append(managed, map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/" + p})
			}
		case map[string]any:
			name := fmt.Sprintf("%sPolicy%d", roleID, i)
			if _, isDoc := p["Statement"]; isDoc {
				inline = append(inline, map[string]any{"PolicyName": name, "PolicyDocument": p})
				continue
			}
			if len(p) != 1 {
				return nil, samError(fnID, "Property 'Policies' has an entry that is neither a policy document nor a policy template.")
			}
			for tname, args := range p {
				if tname == "Ref" || strings.HasPrefix(tname, "Fn::") {
					managed = append(managed, p) // an intrinsic naming a managed policy ARN
					continue
				}
				doc, err := expandPolicyTemplate(fnID, tname, args)
				if err != nil {
					return nil, err
				}
				inline = append(inline, map[string]any{"PolicyName": name, "PolicyDocument": doc})
			}
		default:
			return nil, samError(fnID, "Property 'Policies' has an invalid entry.")
		}
	}
	rp := map[string]any{
		"AssumeRolePolicyDocument": map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Action": []any{"sts:AssumeRole"}, "Effect": "Allow",
				"Principal": map[string]any{"Service": []any{"lambda.amazonaws.com"}},
			}},
		},
		"ManagedPolicyArns": managed,
		"Tags":              []any{map[string]any{"Key": "lambda:createdBy", "Value": "SAM"}},
	}
	if len(inline) > 0 {
		rp["Policies"] = inline
	}
	if pb, ok := props["PermissionsBoundary"]; ok {
		rp["PermissionsBoundary"] = pb
	}
	return &Resource{LogicalID: roleID, Type: "AWS::IAM::Role", Properties: rp, DeletionPolicy: "Delete", UpdateReplacePolicy: "Delete"}, nil
}

func expandPolicyTemplate(fnID, name string, args any) (any, error) {
	pt, ok := policyTemplates[name]
	if !ok {
		return nil, samError(fnID, "Policy template '%s' is not supported by the seclab sandbox.", name)
	}
	given, _ := args.(map[string]any)
	if given == nil && len(pt.params) > 0 {
		return nil, samError(fnID, "Must specify valid parameter values for policy template '%s'.", name)
	}
	vars := map[string]any{}
	for _, p := range pt.params {
		v, ok := given[p]
		if !ok {
			return nil, samError(fnID, "Must specify valid parameter values for policy template '%s'. Parameter '%s' is missing.", name, p)
		}
		vars[p] = v
	}
	var stmts []any
	for _, s := range pt.statements {
		st := maps.Clone(s)
		st["Resource"] = map[string]any{"Fn::Sub": []any{s["Resource"], maps.Clone(vars)}}
		stmts = append(stmts, st)
	}
	return map[string]any{"Statement": stmts}, nil
}
