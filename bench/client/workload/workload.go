package workload

// Package workload is the request mix of the benchmarks: AWS resources as the engine sends them to Analyze (inputs after the
// provider's Check, camelCase names, JSON documents as strings or objects, provider inputs as
// JSON text, preview unknowns as sentinel strings, secrets as signature objects). The mix is
// deterministic (fixed seed) so every contender gets byte-identical requests in the same order.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

const (
	Unknown   = "04da6b54-80e4-46f7-96ec-b56ff0331ba9" // preview unknown (string)
	SigKey    = "4dabf18193072939515e22adb298388d"
	SecretSig = "1b47061264138c4ac30d75fd1eb44270"
	ArchSig   = "0def7320c3a5731c473e5ecbe6d01bc7"
	AssetSig  = "c44067f5952c0a294b673a41bacd8c17"
	Stack     = "prod"
	Project   = "orders"
	account   = "210987654321"
)

const (
	unknown  = Unknown
	sigKey   = SigKey
	secretSg = SecretSig
	archSig  = ArchSig
	assetSig = AssetSig
	stack    = Stack
	project  = Project
)

func secret(v any) map[string]any { return map[string]any{sigKey: secretSg, "value": v} }

func urn(typ, name string) string {
	return fmt.Sprintf("urn:pulumi:%s::%s::%s::%s", stack, project, typ, name)
}

// A generated resource before it is wrapped into a request.
type res struct {
	typ, name string
	props     map[string]any
	provider  *provider
	parent    string
	deps      []string
	propDeps  map[string][]string
}

type provider struct {
	name  string
	props map[string]any
}

// Resource is one resource of the mix as a program would register it: type, name, inputs
// (unknowns as the sentinel string, secrets as signature objects) and its explicit provider
// (nil for provider resources themselves).
type Resource struct {
	Type, Name string
	Props      map[string]any
	Provider   string // provider resource name, "" = none
}

// Providers returns the provider resources of the mix (name -> inputs, JSON text where the
// AWS SDKs send JSON text).
func Providers(seed uint64) []Resource {
	g := newGen(seed)
	var out []Resource
	for _, p := range g.providers {
		out = append(out, Resource{Type: "pulumi:providers:aws", Name: p.name, Props: p.props})
	}
	return out
}

// Resources returns n resources of the mix (no provider resources; deterministic for a seed).
func Resources(seed uint64, n int) []Resource {
	g := newGen(seed)
	out := make([]Resource, 0, n)
	for i := 0; len(out) < n; i++ {
		r := g.next(i)
		if r.typ == "pulumi:providers:aws" {
			continue
		}
		out = append(out, Resource{Type: r.typ, Name: r.name, Props: r.props, Provider: r.provider.name})
	}
	return out
}

func (p *provider) urn() string { return urn("pulumi:providers:aws", p.name) }

type gen struct {
	r         *rand.Rand
	providers []*provider
}

func newGen(seed uint64) *gen {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x5eed))}
	tags := `{"tags":{"team":"payments","env":"prod","cost-center":"cc-1042"}}`
	g.providers = []*provider{
		{"aws-us-east-1", map[string]any{"region": "us-east-1", "defaultTags": tags,
			"skipCredentialsValidation": "false", "version": "7.12.0"}},
		{"aws-eu-west-1", map[string]any{"region": "eu-west-1", "defaultTags": tags,
			"assumeRoles": `[{"roleArn":"arn:aws:iam::` + account + `:role/deployer","sessionName":"pulumi"}]`,
			"version":     "7.12.0"}},
		{"default_7_12_0", map[string]any{"region": "us-west-2", "version": "7.12.0"}},
		{"aws-bad-region", map[string]any{"region": "us-east1", "defaultTags": tags, "version": "7.12.0"}},
		{"aws-static-creds", map[string]any{"region": "us-east-2", "accessKey": secret("AKIAEXAMPLEKEY000001"),
			"secretKey": secret("c2VjcmV0LWtleS1mb3ItYmVuY2htYXJrLW9ubHk="), "version": "7.12.0"}},
	}
	return g
}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) chance(p float64) bool    { return g.r.Float64() < p }

// provider for a resource: mostly the explicit us-east-1/eu-west-1 ones, sometimes default.
func (g *gen) prov() *provider {
	switch n := g.r.IntN(20); {
	case n < 10:
		return g.providers[0]
	case n < 16:
		return g.providers[1]
	case n < 18:
		return g.providers[2]
	case n < 19:
		return g.providers[3]
	default:
		return g.providers[4]
	}
}

func (g *gen) arn(svc, region, rest string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", svc, region, account, rest)
}

func (g *gen) orUnknown(p float64, v any) any {
	if g.chance(p) {
		return unknown
	}
	return v
}

func (g *gen) lambda(i int) res {
	name := fmt.Sprintf("orders-handler-%d", i)
	rt := g.pick("nodejs22.x", "nodejs20.x", "python3.12", "python3.13", "nodejs18.x", "python3.9", "java21", "go1.x")
	props := map[string]any{
		"runtime":     rt,
		"handler":     "index.handler",
		"role":        g.orUnknown(0.3, g.arn("iam", "", "role/"+name+"-role")),
		"memorySize":  float64(int(128) << g.r.IntN(4)),
		"timeout":     float64(3 + g.r.IntN(27)),
		"packageType": "Zip",
		"code": map[string]any{sigKey: archSig, "assets": map[string]any{
			"index.js": map[string]any{sigKey: assetSig, "text": "exports.handler = async () => ({ statusCode: 200 });"}}},
		"environment": map[string]any{"variables": map[string]any{
			"TABLE_NAME": g.orUnknown(0.4, fmt.Sprintf("orders-%d", i)),
			"LOG_LEVEL":  "info",
			"API_TOKEN":  secret("tok-" + fmt.Sprint(i)),
		}},
		"tags":   map[string]any{"service": "orders", "owner": "team-payments"},
		"name":   name,
		"region": "us-east-1",
	}
	switch g.r.IntN(3) {
	case 0:
		props["tracingConfig"] = map[string]any{"mode": "Active"}
	case 1:
		props["tracingConfig"] = map[string]any{"mode": "PassThrough"}
	}
	if g.chance(0.2) {
		props["vpcConfig"] = map[string]any{"subnetIds": []any{unknown, unknown}, "securityGroupIds": []any{unknown}}
	}
	if g.chance(0.05) {
		props["environment"].(map[string]any)["variables"].(map[string]any)["AWS_REGION"] = "us-east-1"
	}
	return res{typ: "aws:lambda/function:Function", name: name, props: props}
}

func (g *gen) policyDoc(i int, wild bool) map[string]any {
	table := g.arn("dynamodb", "us-east-1", fmt.Sprintf("table/orders-%d", i))
	st := []any{
		map[string]any{"Effect": "Allow", "Action": []any{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"},
			"Resource": []any{table, table + "/index/*"}},
		map[string]any{"Effect": "Allow", "Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": g.arn("logs", "us-east-1", fmt.Sprintf("log-group:/aws/lambda/orders-%d:*", i))},
		map[string]any{"Effect": "Allow", "Action": []any{"xray:PutTraceSegments", "xray:PutTelemetryRecords"}, "Resource": "*"},
	}
	if wild {
		switch g.r.IntN(3) {
		case 0:
			st = append(st, map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"})
		case 1:
			st = append(st, map[string]any{"Effect": "Allow", "Action": []any{"s3:*"}, "Resource": "arn:aws:s3:::orders-*"})
		default:
			st = append(st, map[string]any{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
				"Resource": "arn:aws:secretsmanager:*:*:secret:*"})
		}
	}
	return map[string]any{"Version": "2012-10-17", "Statement": st}
}

func trustDoc(svc string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + svc +
		`"},"Action":"sts:AssumeRole"}]}`
}

func (g *gen) iamRole(i int) res {
	name := fmt.Sprintf("orders-role-%d", i)
	props := map[string]any{
		"assumeRolePolicy": trustDoc(g.pick("lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "states.amazonaws.com")),
		"name":             name,
		"path":             "/service/",
		"tags":             map[string]any{"service": "orders"},
		"managedPolicyArns": []any{
			g.pick("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
				"arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"),
		},
	}
	if g.chance(0.5) {
		props["inlinePolicies"] = []any{map[string]any{"name": "inline", "policy": mustJSON(g.policyDoc(i, g.chance(0.3)))}}
	}
	if g.chance(0.1) {
		props["assumeRolePolicy"] = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`
	}
	return res{typ: "aws:iam/role:Role", name: name, props: props}
}

func (g *gen) iamPolicy(i int) res {
	name := fmt.Sprintf("orders-policy-%d", i)
	doc := g.policyDoc(i, g.chance(0.4))
	var pol any = mustJSON(doc)
	switch n := g.r.IntN(10); {
	case n < 2:
		pol = doc // object form (PolicyDocument input type)
	case n < 4:
		pol = unknown // document interpolates an output that is unknown in preview
	}
	return res{typ: "aws:iam/policy:Policy", name: name, props: map[string]any{
		"policy": pol, "name": name, "path": "/", "description": "orders service access", "tags": map[string]any{"service": "orders"}}}
}

func (g *gen) rolePolicy(i int) res {
	name := fmt.Sprintf("orders-rp-%d", i)
	return res{typ: "aws:iam/rolePolicy:RolePolicy", name: name, props: map[string]any{
		"role": g.orUnknown(0.5, fmt.Sprintf("orders-role-%d", i)), "name": name,
		"policy": g.orUnknown(0.2, mustJSON(g.policyDoc(i, g.chance(0.3))))},
		deps: []string{urn("aws:iam/role:Role", fmt.Sprintf("orders-role-%d", i))}}
}

func (g *gen) rpa(i int) res {
	name := fmt.Sprintf("orders-rpa-%d", i)
	return res{typ: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: name, props: map[string]any{
		"role": g.orUnknown(0.5, fmt.Sprintf("orders-role-%d", i)),
		"policyArn": g.pick("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
			"arn:aws:iam::aws:policy/AmazonS3FullAccess", unknown)}}
}

func (g *gen) bucket(i int) res {
	name := fmt.Sprintf("orders-%d", i)
	bucket := g.pick(fmt.Sprintf("orders-artifacts-%d", i), fmt.Sprintf("orders-artifacts-%d", i),
		fmt.Sprintf("Orders_Artifacts_%d", i), fmt.Sprintf("orders.logs.%d", i), fmt.Sprintf("orders-artifacts-%d-2c4e1f", i))
	props := map[string]any{"bucket": bucket, "forceDestroy": false, "tags": map[string]any{"service": "orders"}}
	typ := "aws:s3/bucketV2:BucketV2"
	if g.chance(0.5) {
		typ = "aws:s3/bucket:Bucket"
		if g.chance(0.5) { // v6 list-shaped legacy inputs
			props["serverSideEncryptionConfiguration"] = map[string]any{"rule": map[string]any{
				"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms"}}}
			props["versioning"] = map[string]any{"enabled": true}
			props["acl"] = g.pick("private", "public-read")
		}
	}
	return res{typ: typ, name: name, props: props}
}

func (g *gen) bucketPolicy(i int) res {
	name := fmt.Sprintf("orders-bp-%d", i)
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*",`+
		`"Resource":["arn:aws:s3:::orders-artifacts-%d","arn:aws:s3:::orders-artifacts-%d/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, i, i)
	return res{typ: "aws:s3/bucketPolicy:BucketPolicy", name: name, props: map[string]any{
		"bucket": g.orUnknown(0.5, fmt.Sprintf("orders-artifacts-%d", i)), "policy": g.orUnknown(0.2, doc)}}
}

func (g *gen) table(i int) res {
	name := fmt.Sprintf("orders-table-%d", i)
	props := map[string]any{
		"name":        name,
		"billingMode": g.pick("PAY_PER_REQUEST", "PROVISIONED"),
		"hashKey":     "pk", "rangeKey": "sk",
		"attributes": []any{map[string]any{"name": "pk", "type": "S"}, map[string]any{"name": "sk", "type": "S"}},
		"tags":       map[string]any{"service": "orders"},
	}
	if props["billingMode"] == "PROVISIONED" {
		props["readCapacity"], props["writeCapacity"] = 5.0, 5.0
	}
	switch g.r.IntN(4) {
	case 0:
		props["serverSideEncryption"] = map[string]any{"enabled": true, "kmsKeyArn": g.orUnknown(0.5, g.arn("kms", "us-east-1", "key/1f2e3d4c-5b6a-4789-9abc-def012345678"))}
	case 1:
		props["serverSideEncryption"] = map[string]any{"enabled": false}
	case 2:
		props["serverSideEncryption"] = map[string]any{"enabled": true}
	}
	if g.chance(0.6) {
		props["pointInTimeRecovery"] = map[string]any{"enabled": true}
	}
	if g.chance(0.2) {
		props["replicas"] = []any{map[string]any{"regionName": g.pick("us-west-2", "us-east-1", "eu-west-1")}}
		props["streamEnabled"] = g.chance(0.5)
		props["streamViewType"] = "NEW_AND_OLD_IMAGES"
	}
	return res{typ: "aws:dynamodb/table:Table", name: name, props: props}
}

func (g *gen) sg(i int) res {
	name := fmt.Sprintf("orders-sg-%d", i)
	port := []float64{443, 443, 80, 22, 5432, 3389}[g.r.IntN(6)]
	cidr := g.pick("10.0.0.0/16", "0.0.0.0/0", "10.20.0.0/24", "0.0.0.0/0")
	ingress := []any{map[string]any{"protocol": "tcp", "fromPort": port, "toPort": port, "cidrBlocks": []any{cidr},
		"description": "app traffic", "ipv6CidrBlocks": []any{}, "securityGroups": []any{}, "self": false}}
	if g.chance(0.1) {
		ingress = append(ingress, map[string]any{"protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "ipv6CidrBlocks": []any{"::/0"}})
	}
	return res{typ: "aws:ec2/securityGroup:SecurityGroup", name: name, props: map[string]any{
		"name": name, "description": "orders service", "vpcId": g.orUnknown(0.6, "vpc-0a1b2c3d4e5f67890"),
		"ingress":             ingress,
		"egress":              []any{map[string]any{"protocol": "-1", "fromPort": 0.0, "toPort": 0.0, "cidrBlocks": []any{"0.0.0.0/0"}}},
		"revokeRulesOnDelete": false, "tags": map[string]any{"service": "orders"}}}
}

func (g *gen) sgRule(i int) res {
	name := fmt.Sprintf("orders-sgr-%d", i)
	if g.chance(0.5) {
		p := []float64{443, 22, 6379}[g.r.IntN(3)]
		return res{typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: name, props: map[string]any{
			"securityGroupId": g.orUnknown(0.7, "sg-0123456789abcdef0"), "ipProtocol": "tcp", "fromPort": p, "toPort": p,
			"cidrIpv4": g.pick("0.0.0.0/0", "10.0.0.0/8", "192.168.1.0/24")}}
	}
	return res{typ: "aws:ec2/securityGroupRule:SecurityGroupRule", name: name, props: map[string]any{
		"type": g.pick("ingress", "egress"), "protocol": "tcp", "fromPort": 443.0, "toPort": 443.0,
		"cidrBlocks": []any{g.pick("0.0.0.0/0", "10.0.0.0/16")}, "securityGroupId": g.orUnknown(0.7, "sg-0123456789abcdef0")}}
}

func (g *gen) alarm(i int) res {
	name := fmt.Sprintf("orders-alarm-%d", i)
	var actions []any
	switch g.r.IntN(5) {
	case 0:
		actions = []any{g.arn("sns", "us-east-1", "orders-alerts")}
	case 1:
		actions = []any{unknown}
	case 2:
		actions = []any{g.arn("sns", "eu-central-1", "orders-alerts")} // wrong region
	case 3:
		actions = []any{g.arn("iam", "", "policy/alerts")} // not an action ARN
	}
	props := map[string]any{
		"name": name, "comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 3.0, "datapointsToAlarm": 2.0,
		"metricName": g.pick("Errors", "Throttles", "CPUUtilization"), "namespace": g.pick("AWS/Lambda", "AWS/DynamoDB", "AWS/EC2"),
		"period": 60.0, "statistic": "Sum", "threshold": float64(g.r.IntN(100)),
		"treatMissingData": g.pick("notBreaching", "missing", "breaching"),
		"dimensions":       map[string]any{"FunctionName": fmt.Sprintf("orders-handler-%d", i)},
		"actionsEnabled":   true, "tags": map[string]any{"service": "orders"},
	}
	if actions != nil {
		props["alarmActions"] = actions
	}
	if g.chance(0.3) {
		props["okActions"] = []any{g.arn("sns", "us-east-1", "orders-alerts")}
	}
	return res{typ: "aws:cloudwatch/metricAlarm:MetricAlarm", name: name, props: props,
		propDeps: map[string][]string{"alarmActions": {urn("aws:sns/topic:Topic", "orders-alerts")}}}
}

func (g *gen) providerRes(i int) res {
	p := g.providers[i%len(g.providers)]
	props := map[string]any{}
	for k, v := range p.props {
		props[k] = v
	}
	return res{typ: "pulumi:providers:aws", name: p.name, props: props}
}

func (g *gen) eventRule(i int) res {
	name := fmt.Sprintf("orders-uploads-%d", i)
	pattern := fmt.Sprintf(`{"source":["aws.s3"],"detail-type":["Object Created"],"detail":{"bucket":{"name":["orders-artifacts-%d"]}}}`, i)
	if g.chance(0.2) {
		pattern = `{"source":"aws.s3","detail":{"bucket":{"name":"orders"}}}`
	}
	return res{typ: "aws:cloudwatch/eventRule:EventRule", name: name, props: map[string]any{
		"eventPattern": pattern, "eventBusName": "default", "state": "ENABLED", "tags": map[string]any{"service": "orders"}}}
}

func (g *gen) subnet(i int) res {
	name := fmt.Sprintf("orders-subnet-%d", i)
	return res{typ: "aws:ec2/subnet:Subnet", name: name, props: map[string]any{
		"vpcId": g.orUnknown(0.6, "vpc-0a1b2c3d4e5f67890"), "cidrBlock": fmt.Sprintf("10.0.%d.0/24", i%250),
		"availabilityZone": g.pick("us-east-1a", "us-east-1b", "us-east-a", "us-east-1c"), "mapPublicIpOnLaunch": false,
		"tags": map[string]any{"Name": name}}}
}

func (g *gen) topic(i int) res {
	name := fmt.Sprintf("orders-alerts-%d", i)
	display := "Orders alerts"
	if g.chance(0.15) {
		display = "Calling [toString] on an [Output<T>] is not supported.\n\nTo get the value of an Output<T> as an Output<string> consider either:\n1: o.apply(v => `prefix${v}suffix`)\n2: pulumi.interpolate `prefix${v}suffix`"
	}
	return res{typ: "aws:sns/topic:Topic", name: name, props: map[string]any{
		"name": name, "displayName": display, "kmsMasterKeyId": "alias/aws/sns", "tags": map[string]any{"service": "orders"}}}
}

func (g *gen) permission(i int) res {
	name := fmt.Sprintf("orders-invoke-%d", i)
	props := map[string]any{"action": "lambda:InvokeFunction", "function": g.orUnknown(0.5, fmt.Sprintf("orders-handler-%d", i)),
		"principal": g.pick("events.amazonaws.com", "s3.amazonaws.com", "apigateway.amazonaws.com")}
	if g.chance(0.6) {
		props["sourceArn"] = g.orUnknown(0.5, g.arn("events", "us-east-1", fmt.Sprintf("rule/orders-uploads-%d", i)))
	}
	return res{typ: "aws:lambda/permission:Permission", name: name, props: props}
}

// next draws one resource with weights that follow a typical serverless + data stack.
func (g *gen) next(i int) res {
	var r res
	switch n := g.r.IntN(100); {
	case n < 13:
		r = g.lambda(i)
	case n < 23:
		r = g.iamRole(i)
	case n < 30:
		r = g.iamPolicy(i)
	case n < 36:
		r = g.rolePolicy(i)
	case n < 41:
		r = g.rpa(i)
	case n < 50:
		r = g.bucket(i)
	case n < 54:
		r = g.bucketPolicy(i)
	case n < 62:
		r = g.table(i)
	case n < 69:
		r = g.sg(i)
	case n < 74:
		r = g.sgRule(i)
	case n < 82:
		r = g.alarm(i)
	case n < 85:
		r = g.providerRes(i)
	case n < 89:
		r = g.eventRule(i)
	case n < 93:
		r = g.subnet(i)
	case n < 97:
		r = g.topic(i)
	default:
		r = g.permission(i)
	}
	if r.typ != "pulumi:providers:aws" {
		r.provider = g.prov()
	}
	return r
}

// JSON encodes v (IAM documents, provider inputs) as the SDKs' JSON.stringify would.
func JSON(v any) string { return mustJSON(v) }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func mustStruct(m map[string]any) *structpb.Struct {
	s, err := structpb.NewStruct(m)
	if err != nil {
		panic(err)
	}
	return s
}

func (r res) urn() string { return urn(r.typ, r.name) }

func (r res) providerMsg() *pulumirpc.AnalyzerProviderResource {
	if r.provider == nil {
		return nil
	}
	return &pulumirpc.AnalyzerProviderResource{Type: "pulumi:providers:aws", Name: r.provider.name,
		Urn: r.provider.urn(), Properties: mustStruct(r.provider.props)}
}

func (r res) options() *pulumirpc.AnalyzerResourceOptions {
	return &pulumirpc.AnalyzerResourceOptions{Parent: r.parent, AdditionalSecretOutputs: nil,
		CustomTimeouts: &pulumirpc.AnalyzerResourceOptions_CustomTimeouts{}}
}

// AnalyzeRequests returns n requests of the mix (deterministic for a seed).
func AnalyzeRequests(seed uint64, n int) []*pulumirpc.AnalyzeRequest {
	g := newGen(seed)
	out := make([]*pulumirpc.AnalyzeRequest, n)
	for i := range out {
		r := g.next(i)
		r.parent = urn("pulumi:pulumi:Stack", project+"-"+stack)
		out[i] = &pulumirpc.AnalyzeRequest{Type: r.typ, Name: r.name, Urn: r.urn(),
			Properties: mustStruct(r.props), Options: r.options(), Provider: r.providerMsg()}
	}
	return out
}

// StackRequest returns an AnalyzeStack request over n resources: the explicit providers, then
// the mix with outputs filled in (ids and ARNs known, as after an update), parents, dependencies
// and property dependencies as the engine records them.
func StackRequest(seed uint64, n int) *pulumirpc.AnalyzeStackRequest {
	g := newGen(seed)
	stackURN := urn("pulumi:pulumi:Stack", project+"-"+stack)
	rs := make([]*pulumirpc.AnalyzerResource, 0, n)
	for _, p := range g.providers {
		if len(rs) == n {
			break
		}
		props := map[string]any{}
		for k, v := range p.props {
			props[k] = v
		}
		rs = append(rs, &pulumirpc.AnalyzerResource{Type: "pulumi:providers:aws", Name: p.name, Urn: p.urn(),
			Properties: mustStruct(props), Parent: stackURN, Options: &pulumirpc.AnalyzerResourceOptions{Parent: stackURN}})
	}
	for i := 0; len(rs) < n; i++ {
		r := g.next(i)
		if r.typ == "pulumi:providers:aws" {
			continue
		}
		r.props["id"] = fmt.Sprintf("%s-%08x", r.name, g.r.Uint32())
		r.props["arn"] = g.arn("svc", "us-east-1", r.name)
		deps := append([]string{r.provider.urn()}, r.deps...)
		pd := map[string]*pulumirpc.AnalyzerPropertyDependencies{}
		for k, v := range r.propDeps {
			pd[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: v}
			deps = append(deps, v...)
		}
		rs = append(rs, &pulumirpc.AnalyzerResource{Type: r.typ, Name: r.name, Urn: r.urn(),
			Properties: mustStruct(r.props), Parent: stackURN, Dependencies: deps, PropertyDependencies: pd,
			Provider: r.providerMsg(), Options: &pulumirpc.AnalyzerResourceOptions{Parent: stackURN}})
	}
	return &pulumirpc.AnalyzeStackRequest{Resources: rs}
}
