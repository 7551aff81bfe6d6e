package harness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// AWSVersion is the pulumi-aws version the programs ask for (v7 shapes). The engine names the
// default provider after it: default_7_12_0.
const AWSVersion = "7.12.0"

// Account is the AWS account the fake provider "deploys" into (a made-up, non-placeholder id).
const Account = "730335468221"

// ProviderCall records one Create/Update the in-process provider received, i.e. the inputs the
// engine applied after Check and policy remediation.
type ProviderCall struct {
	Op      string // "create" or "update"
	Preview bool
	URN     resource.URN
	Type    tokens.Type
	Inputs  resource.PropertyMap
}

// FakeAWS is an in-process stand-in for pulumi-resource-aws. Check echoes the inputs (adding
// an autoname where the real provider would), Create returns the inputs plus realistic computed
// outputs (id, arn with region and account, names, endpoints); in preview those are unknown.
type FakeAWS struct {
	mu    sync.Mutex
	calls []ProviderCall
}

// Calls returns the Create/Update calls seen so far.
func (f *FakeAWS) Calls() []ProviderCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ProviderCall(nil), f.calls...)
}

func (f *FakeAWS) record(c ProviderCall) {
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
}

// Loader registers the provider with a deploytest host. Every provider resource (explicit or
// default) gets a fresh instance, which learns its region from Configure.
func (f *FakeAWS) Loader() *deploytest.ProviderLoader {
	return deploytest.NewProviderLoader("aws", semver.MustParse(AWSVersion), func() (plugin.Provider, error) {
		return f.instance(), nil
	})
}

// autonameProps lists the property the real provider fills in during Check when the program
// leaves it out (Pulumi auto-naming).
var autonameProps = map[tokens.Type]string{
	"aws:lambda/function:Function":             "name",
	"aws:dynamodb/table:Table":                 "name",
	"aws:iam/role:Role":                        "name",
	"aws:iam/policy:Policy":                    "name",
	"aws:iam/rolePolicy:RolePolicy":            "name",
	"aws:s3/bucket:Bucket":                     "bucket",
	"aws:s3/bucketV2:BucketV2":                 "bucket",
	"aws:cloudwatch/eventBus:EventBus":         "name",
	"aws:cloudwatch/eventRule:EventRule":       "name",
	"aws:cloudwatch/metricAlarm:MetricAlarm":   "name",
	"aws:cloudwatch/logGroup:LogGroup":         "name",
	"aws:sns/topic:Topic":                      "name",
	"aws:sqs/queue:Queue":                      "name",
	"aws:ec2/securityGroup:SecurityGroup":      "name",
	"aws:lb/loadBalancer:LoadBalancer":         "name",
	"aws:lb/targetGroup:TargetGroup":           "name",
	"aws:secretsmanager/secret:Secret":         "name",
	"aws:apigateway/restApi:RestApi":           "name",
	"aws:cfg/recorder:Recorder":                "name",
	"aws:cfg/deliveryChannel:DeliveryChannel":  "name",
	"aws:kms/alias:Alias":                      "name",
	"aws:cloudwatch/eventTarget:EventTarget":   "",
	"aws:lambda/permission:Permission":         "statementId",
	"aws:route53/healthCheck:HealthCheck":      "",
	"aws:cloudfront/distribution:Distribution": "",
}

func (f *FakeAWS) instance() plugin.Provider {
	var region string
	return &deploytest.Provider{
		ConfigureF: func(_ context.Context, req plugin.ConfigureRequest) (plugin.ConfigureResponse, error) {
			if v, ok := req.Inputs["region"]; ok && v.IsString() {
				region = v.StringValue()
			}
			return plugin.ConfigureResponse{}, nil
		},
		CheckF: func(_ context.Context, req plugin.CheckRequest) (plugin.CheckResponse, error) {
			news := req.News.Copy()
			t := req.URN.Type() // CheckRequest.Type is not always filled in
			if prop := autonameProps[t]; prop != "" {
				if _, has := news[resource.PropertyKey(prop)]; !has {
					name := resource.NewProperty(autoname(req.URN.Name(), req.RandomSeed, t))
					if old, ok := req.Olds[resource.PropertyKey(prop)]; ok && old.IsString() {
						name = old // keep the name chosen when the resource was created
					}
					news[resource.PropertyKey(prop)] = name
					// Older bridged providers list the defaulted keys; the pack must ignore "__" keys
					// (and return them from Remediate).
					news["__defaults"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty(prop)})
				}
			}
			return plugin.CheckResponse{Properties: news}, nil
		},
		DiffF: func(_ context.Context, req plugin.DiffRequest) (plugin.DiffResult, error) {
			if req.OldInputs.DeepEquals(req.NewInputs) {
				return plugin.DiffResult{Changes: plugin.DiffNone}, nil
			}
			var changed []resource.PropertyKey
			for k, v := range req.NewInputs {
				if o, ok := req.OldInputs[k]; !ok || !o.DeepEquals(v) {
					changed = append(changed, k)
				}
			}
			for k := range req.OldInputs {
				if _, ok := req.NewInputs[k]; !ok {
					changed = append(changed, k)
				}
			}
			return plugin.DiffResult{Changes: plugin.DiffSome, ChangedKeys: changed}, nil
		},
		CreateF: func(_ context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
			f.record(ProviderCall{Op: "create", Preview: req.Preview, URN: req.URN, Type: req.URN.Type(),
				Inputs: req.Properties.Copy()})
			id, outs := fakeOutputs(req.URN.Type(), req.URN, req.Properties, regionOf(req.Properties, region), req.Preview)
			return plugin.CreateResponse{ID: resource.ID(id), Properties: outs, Status: resource.StatusOK}, nil
		},
		UpdateF: func(_ context.Context, req plugin.UpdateRequest) (plugin.UpdateResponse, error) {
			f.record(ProviderCall{Op: "update", Preview: req.Preview, URN: req.URN, Type: req.URN.Type(),
				Inputs: req.NewInputs.Copy()})
			// Keep the computed outputs the resource already has, take the new inputs.
			outs := req.OldOutputs.Copy()
			for k, v := range req.NewInputs {
				outs[k] = v
			}
			return plugin.UpdateResponse{Properties: outs, Status: resource.StatusOK}, nil
		},
	}
}

// regionOf honours v7's per-resource `region` input, else the provider's region.
func regionOf(props resource.PropertyMap, providerRegion string) string {
	if v, ok := props["region"]; ok && v.IsString() && v.StringValue() != "" {
		return v.StringValue()
	}
	if providerRegion == "" {
		return "us-east-1"
	}
	return providerRegion
}

func autoname(name string, seed []byte, t tokens.Type) string {
	h := sha256.Sum256(append([]byte(name), seed...))
	n := name + "-" + hex.EncodeToString(h[:])[:7]
	if t == "aws:s3/bucket:Bucket" || t == "aws:s3/bucketV2:BucketV2" {
		n = strings.ToLower(n)
	}
	return n
}

func shortID(prefix string, urn resource.URN, n int) string {
	h := sha256.Sum256([]byte(urn))
	return prefix + hex.EncodeToString(h[:])[:n]
}

func str(props resource.PropertyMap, k string) string {
	if v, ok := props[resource.PropertyKey(k)]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

// fakeOutputs returns the resource ID and output properties the real provider would produce.
// In preview, provider-computed values are unknown (the engine then shows and analyzes them as
// such); inputs pass through.
func fakeOutputs(t tokens.Type, urn resource.URN, in resource.PropertyMap, region string,
	preview bool,
) (string, resource.PropertyMap) {
	outs := in.Copy()
	delete(outs, "__defaults")
	name := str(in, "name")
	if name == "" {
		name = urn.Name()
	}
	acct := Account
	computed := map[string]string{}
	id := name
	arn := ""
	switch t {
	case "aws:lambda/function:Function":
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, acct, name)
		computed["invokeArn"] = fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", region, arn)
		computed["qualifiedArn"] = arn + ":$LATEST"
		computed["version"] = "$LATEST"
		computed["lastModified"] = "2026-09-01T10:00:00.000+0000"
	case "aws:dynamodb/table:Table":
		arn = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", region, acct, name)
		if b, ok := in["streamEnabled"]; ok && b.IsBool() && b.BoolValue() {
			computed["streamArn"] = arn + "/stream/2026-09-01T10:00:00.000"
			computed["streamLabel"] = "2026-09-01T10:00:00.000"
		}
	case "aws:dynamodb/tableReplica:TableReplica":
		arn = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", str(in, "regionName"), acct, urn.Name())
		id = urn.Name() + ":" + str(in, "regionName")
	case "aws:iam/role:Role":
		arn = fmt.Sprintf("arn:aws:iam::%s:role/%s", acct, name)
		computed["uniqueId"] = shortID("AROA", urn, 17)
		computed["createDate"] = "2026-09-01T10:00:00Z"
	case "aws:iam/policy:Policy":
		arn = fmt.Sprintf("arn:aws:iam::%s:policy/%s", acct, name)
		id = arn
		computed["policyId"] = shortID("ANPA", urn, 17)
	case "aws:iam/rolePolicy:RolePolicy":
		id = str(in, "role") + ":" + name
	case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
		id = str(in, "role") + "-" + shortID("", urn, 8)
	case "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2":
		b := str(in, "bucket")
		if b == "" {
			b = strings.ToLower(name)
		}
		id = b
		arn = "arn:aws:s3:::" + b
		computed["bucketDomainName"] = b + ".s3.amazonaws.com"
		computed["bucketRegionalDomainName"] = fmt.Sprintf("%s.s3.%s.amazonaws.com", b, region)
		computed["hostedZoneId"] = "Z3AQBSTGFYJSTF"
		computed["region"] = region
	case "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketNotification:BucketNotification",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
		"aws:s3/bucketVersioning:BucketVersioning":
		id = str(in, "bucket")
	case "aws:cloudwatch/eventBus:EventBus":
		arn = fmt.Sprintf("arn:aws:events:%s:%s:event-bus/%s", region, acct, name)
	case "aws:cloudwatch/eventRule:EventRule":
		bus := str(in, "eventBusName")
		if bus == "" || bus == "default" {
			arn = fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", region, acct, name)
			id = name
		} else {
			arn = fmt.Sprintf("arn:aws:events:%s:%s:rule/%s/%s", region, acct, bus, name)
			id = bus + "/" + name
		}
	case "aws:cloudwatch/eventTarget:EventTarget":
		id = str(in, "rule") + "-" + str(in, "targetId")
	case "aws:lambda/permission:Permission":
		id = str(in, "statementId")
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		arn = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, acct, name)
	case "aws:cloudwatch/logGroup:LogGroup":
		arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, acct, name)
	case "aws:sns/topic:Topic":
		arn = fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, acct, name)
		id = arn
	case "aws:sns/topicSubscription:TopicSubscription":
		arn = str(in, "topic") + ":" + shortID("", urn, 8)
		id = arn
	case "aws:sqs/queue:Queue":
		arn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, acct, name)
		id = fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, acct, name)
		computed["url"] = id
	case "aws:ec2/vpc:Vpc":
		id = shortID("vpc-", urn, 17)
		arn = fmt.Sprintf("arn:aws:ec2:%s:%s:vpc/%s", region, acct, id)
		computed["defaultSecurityGroupId"] = shortID("sg-", urn+"sg", 17)
		computed["mainRouteTableId"] = shortID("rtb-", urn, 17)
	case "aws:ec2/subnet:Subnet":
		id = shortID("subnet-", urn, 17)
		arn = fmt.Sprintf("arn:aws:ec2:%s:%s:subnet/%s", region, acct, id)
	case "aws:ec2/securityGroup:SecurityGroup":
		id = shortID("sg-", urn, 17)
		arn = fmt.Sprintf("arn:aws:ec2:%s:%s:security-group/%s", region, acct, id)
	case "aws:ec2/internetGateway:InternetGateway":
		id = shortID("igw-", urn, 17)
	case "aws:ec2/natGateway:NatGateway":
		id = shortID("nat-", urn, 17)
	case "aws:ec2/routeTable:RouteTable":
		id = shortID("rtb-", urn, 17)
	case "aws:ec2/eip:Eip":
		id = shortID("eipalloc-", urn, 17)
		computed["publicIp"] = "203.0.113.10"
	case "aws:lb/loadBalancer:LoadBalancer":
		suffix := shortID("", urn, 16)
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", region, acct, name, suffix)
		id = arn
		computed["dnsName"] = fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", name, suffix[:9], region)
		computed["zoneId"] = "Z35SXDOTRQ7X7K"
		computed["arnSuffix"] = "app/" + name + "/" + suffix
	case "aws:lb/targetGroup:TargetGroup":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s", region, acct, name, shortID("", urn, 16))
		id = arn
	case "aws:lb/listener:Listener":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:listener/app/%s/%s", region, acct, urn.Name(), shortID("", urn, 16))
		id = arn
	case "aws:acm/certificate:Certificate":
		h := shortID("", urn, 32)
		arn = fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s-%s-%s-%s-%s", region, acct, h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
		id = arn
	case "aws:cloudfront/distribution:Distribution":
		id = strings.ToUpper(shortID("E", urn, 13))
		arn = fmt.Sprintf("arn:aws:cloudfront::%s:distribution/%s", acct, id)
		computed["domainName"] = strings.ToLower(shortID("d", urn, 13)) + ".cloudfront.net"
		computed["hostedZoneId"] = "Z2FDTNDATAQYW2"
		computed["status"] = "Deployed"
	case "aws:route53/zone:Zone":
		id = strings.ToUpper(shortID("Z", urn, 20))
		arn = "arn:aws:route53:::hostedzone/" + id
		computed["zoneId"] = id
		computed["nameServers"] = "ns-1.awsdns-01.org"
	case "aws:route53/record:Record":
		id = str(in, "zoneId") + "_" + str(in, "name") + "_" + str(in, "type")
		computed["fqdn"] = str(in, "name")
	case "aws:route53/healthCheck:HealthCheck":
		id = shortID("", urn, 8) + "-0000-4000-8000-" + shortID("", urn+"hc", 12)
		arn = "arn:aws:route53:::healthcheck/" + id
	case "aws:secretsmanager/secret:Secret":
		arn = fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", region, acct, name, shortID("", urn, 6))
		id = arn
	case "aws:kms/key:Key":
		id = shortID("", urn, 8) + "-1111-4222-8333-" + shortID("", urn+"k", 12)
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, acct, id)
		computed["keyId"] = id
	case "aws:cfg/recorder:Recorder", "aws:cfg/deliveryChannel:DeliveryChannel",
		"aws:cfg/recorderStatus:RecorderStatus":
		id = name
	case "aws:apigateway/restApi:RestApi":
		id = shortID("", urn, 10)
		arn = fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s", region, id)
		computed["executionArn"] = fmt.Sprintf("arn:aws:execute-api:%s:%s:%s", region, acct, id)
		computed["rootResourceId"] = shortID("", urn+"root", 10)
	default:
		id = name + "-" + shortID("", urn, 8)
	}
	if arn != "" {
		computed["arn"] = arn
	}
	// Bridged (Terraform-based) providers like pulumi-aws also return the ID as an "id" output.
	computed["id"] = id
	if _, ok := in["tags"]; ok {
		outs["tagsAll"] = in["tags"]
	}
	for k, v := range computed {
		if _, isInput := in[resource.PropertyKey(k)]; isInput {
			continue
		}
		if preview {
			outs[resource.PropertyKey(k)] = resource.MakeComputed(resource.NewProperty(""))
		} else {
			outs[resource.PropertyKey(k)] = resource.NewProperty(v)
		}
	}
	if preview {
		return "", outs
	}
	return id, outs
}
