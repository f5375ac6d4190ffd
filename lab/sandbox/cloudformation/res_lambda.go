package cloudformation

import (
	"fmt"

	"github.com/seclab-dev/seclab/lab/sandbox/svc"
)

// AWS::Lambda::Function (what the AWS::Serverless-2016-10-31 transform
// makes of AWS::Serverless::Function): the sandbox has no Lambda, so the
// function is authorized and recorded as a stack resource, never deployed
// or run. Its CREATE_COMPLETE event says so.

const lambdaNote = "Recorded only: the seclab sandbox has no Lambda service, so no function code was deployed or run"

func init() {
	register("AWS::Lambda::Function", provider{
		props:  []string{"Architectures", "Code", "CodeSigningConfigArn", "DeadLetterConfig", "Description", "Environment", "EphemeralStorage", "FileSystemConfigs", "FunctionName", "Handler", "ImageConfig", "KmsKeyArn", "Layers", "LoggingConfig", "MemorySize", "PackageType", "RecursiveLoop", "ReservedConcurrentExecutions", "Role", "Runtime", "RuntimeManagementConfig", "SnapStartPolicy", "Tags", "Timeout", "TracingConfig", "VpcConfig"},
		create: createFunction,
		update: func(d *deployment, id string, _, new map[string]any) error {
			return authorizeFunction(d, "UpdateFunctionConfiguration", d.st.sealed.Ref[id], new)
		},
		del: func(d *deployment, id string) error {
			return authorizeFunction(d, "DeleteFunction", d.st.sealed.Ref[id], nil)
		},
		replaceOn: []string{"FunctionName"},
		required:  []string{"Code", "Role"},
		attrs:     []string{"Arn"},
		note:      lambdaNote,
	})
}

func (d *deployment) functionARN(name string) string {
	return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", d.r.Region, d.r.Caller.Account, name)
}

// authorizeFunction asks whether the caller may perform lambda:op on the
// function (and iam:PassRole on its role), recording both in the trail as
// calls CloudFormation made on the caller's behalf.
func authorizeFunction(d *deployment, op, name string, props map[string]any) error {
	via := "cloudformation." + d.r.Region + ".amazonaws.com"
	check := func(service, operation, action, resource string) error {
		sub := d.r.Sub(service, operation, via)
		sub.Event.Resources = []string{resource}
		err := d.s.env.Authz.Authorize(sub, svc.AuthzRequest{Action: action, Resource: resource})
		d.s.env.Trail.Record(sub.Event.Finish(err))
		if err != nil {
			var ae *svc.Error
			if e, ok := err.(*svc.Error); ok {
				ae = e
			} else {
				return err
			}
			return &handlerError{code: ae.Code, reason: fmt.Sprintf(
				"Resource handler returned message: \"%s (Service: Lambda, Status Code: 403, Request ID: %s)\" (HandlerErrorCode: AccessDenied)",
				ae.Message, d.r.ID)}
		}
		return nil
	}
	if err := check("lambda", op, "lambda:"+op, d.functionARN(name)); err != nil {
		return err
	}
	if role := str(props, "Role"); role != "" {
		return check("iam", "PassRole", "iam:PassRole", role)
	}
	return nil
}

func createFunction(d *deployment, id string, props map[string]any) error {
	name := str(props, "FunctionName")
	if name == "" {
		name = d.physicalName(id, 64)
	}
	if err := authorizeFunction(d, "CreateFunction", name, props); err != nil {
		return err
	}
	d.created(id, name, name, map[string]any{"Arn": d.functionARN(name)})
	return nil
}
