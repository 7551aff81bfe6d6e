package programs

import (
	"sort"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
)

// Acct is the account the programs deploy into (same as the fake provider's).
const Acct = harness.Account

// System is one seed system: a failing and a fixed variant of the same program, and what the
// pack must report for the failing one.
type System struct {
	Key     string // short id, used in test names: "trading", "s3pipeline", ...
	Title   string
	Seeds   string // seed documents it comes from
	Project string
	Stack   string
	Config  map[string]string // stack config (aws:region feeds the default provider)
	// PackConfig is the --policy-pack-config the team runs this stack with ("" = none), for
	// organisation decisions a policy cannot guess (e.g. which SNS topics must be shared).
	PackConfig string

	Failing func(*Ctx)
	Fixed   func(*Ctx)

	// Expect: for the failing variant, resource name (URN name) -> policies that must report a
	// MANDATORY violation on it. The set of resource names is exact: a mandatory violation on any
	// other resource fails the test. Other mandatory policies on a listed resource are reported
	// (t.Logf) but tolerated.
	Expect map[string][]string
	// Advisory: resource name -> policies that must report an ADVISORY violation (failing
	// variant). Not exhaustive.
	Advisory map[string][]string
}

// Program returns the deploytest program for a variant.
func (s *System) Program(fixed bool) deploytest.ProgramFunc {
	body := s.Failing
	if fixed {
		body = s.Fixed
	}
	return Program(s.Project, s.Stack, body)
}

// Policies returns every policy name the system's expectations mention, sorted.
func (s *System) Policies() []string {
	set := map[string]bool{}
	for _, ps := range s.Expect {
		for _, p := range ps {
			set[p] = true
		}
	}
	for _, ps := range s.Advisory {
		for _, p := range ps {
			set[p] = true
		}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Systems lists the seed systems in a stable order.
func Systems() []*System {
	return []*System{Trading(), S3Pipeline(), ServerlessAPI(), WebStack(), ProviderPatterns()}
}

// ByKey finds a system.
func ByKey(key string) *System {
	for _, s := range Systems() {
		if s.Key == key {
			return s
		}
	}
	return nil
}

// ---- helpers shared by the programs ----

// alertsKey is the customer-managed key alert topics are encrypted with. Its
// policy lets CloudWatch use it to publish alarm notifications, which the AWS
// managed key alias/aws/sns never does (notifications would be dropped).
func alertsKey(c *Ctx, name string, opts ...Opt) *Res {
	return c.Resource("aws:kms/key:Key", name, map[string]any{
		"description":       "encrypts alert topics",
		"enableKeyRotation": true,
		"policy": JSON(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				map[string]any{"Sid": "AccountAdmin", "Effect": "Allow",
					"Principal": map[string]any{"AWS": "arn:aws:iam::" + Acct + ":root"},
					"Action":    "kms:*", "Resource": "*"},
				map[string]any{"Sid": "CloudWatchAlarms", "Effect": "Allow",
					"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
					"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"},
			},
		}),
	}, opts...)
}

func lambdaTrust() string {
	return JSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
		}},
	})
}

func serviceTrust(service string) string {
	return JSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"Service": service},
		}},
	})
}

func defaultTags(tags map[string]string) string {
	return JSON(map[string]any{"tags": tags})
}

func handlerArchive(file, body string) any {
	return Archive(map[string]string{file: body})
}

const pyHandler = "import json, os\n\ndef handler(event, context):\n    print(json.dumps(event))\n    return {\"statusCode\": 200}\n"

// httpsOnlyBucketPolicy is the statement set the fixed programs attach to every bucket.
func httpsOnlyBucketPolicy(bucketArn string) string {
	return JSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
			"Resource":  []any{bucketArn, bucketArn + "/*"},
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		}},
	})
}

// secureBucket registers a bucket the way the fixed programs do: HTTPS-only policy, public
// access block, versioning, explicit encryption.
func secureBucket(c *Ctx, name, bucketName string, prov *Res, parent *Res) *Res {
	inputs := map[string]any{"forceDestroy": false, "tags": map[string]any{"Name": bucketName}}
	if bucketName != "" {
		inputs["bucket"] = bucketName
	}
	b := c.Resource("aws:s3/bucket:Bucket", name, inputs, Provider(prov), Parent(parent))
	c.Resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name+"-pab", map[string]any{
		"bucket": b.Out("id"), "blockPublicAcls": true, "blockPublicPolicy": true,
		"ignorePublicAcls": true, "restrictPublicBuckets": true,
	}, Provider(prov), Parent(parent))
	c.Resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name+"-sse",
		map[string]any{
			"bucket": b.Out("id"),
			"rules": []any{map[string]any{
				"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms"},
				"bucketKeyEnabled":                   true,
			}},
		}, Provider(prov), Parent(parent))
	c.Resource("aws:s3/bucketVersioning:BucketVersioning", name+"-versioning", map[string]any{
		"bucket": b.Out("id"), "versioningConfiguration": map[string]any{"status": "Enabled"},
	}, Provider(prov), Parent(parent))
	c.Resource("aws:s3/bucketPolicy:BucketPolicy", name+"-tls-only", map[string]any{
		"bucket": b.Out("id"),
		"policy": Apply(func(vs ...any) any { return httpsOnlyBucketPolicy(vs[0].(string)) }, b.Out("arn")),
	}, Provider(prov), Parent(parent))
	return b
}
