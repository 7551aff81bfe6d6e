package programs

import "fmt"

// S3Pipeline is seed 002: a multi-environment S3 -> EventBridge -> Lambda -> DynamoDB pipeline
// (stack "prod" of project "tap").
func S3Pipeline() *System {
	s := &System{
		Key: "s3pipeline", Title: "multi-environment S3 -> EventBridge -> Lambda -> DynamoDB pipeline", Seeds: "002",
		Project: "tap", Stack: "prod",
		Config: map[string]string{
			"aws:region":        "us-east-1",
			"tap:environment":   "prod",
			"tap:bucket_prefix": "my-project-prod",
			"tap:role_arn":      "arn:aws:iam::" + Acct + ":role/pulumi-deploy-prod",
		},
	}
	s.Failing = s3Failing
	s.Fixed = s3Fixed
	onDefault := []string{
		"my-project-prod-data", "s3-object-created", "processor-role", "processor-s3-policy",
		"processor", "lambda-permission", "event-target", "items-prod", "items-prod-replica-us-east-1",
	}
	s.Expect = map[string][]string{}
	for _, n := range onDefault {
		s.Expect[n] = []string{"aws-explicit-provider-required"} // 002#1
	}
	add := func(name string, ps ...string) { s.Expect[name] = append(s.Expect[name], ps...) }
	add("prod-provider", "aws-provider-assume-role-used")                                         // 002#1
	add("s3-object-removed", "aws-explicit-provider-required", "eventbridge-event-pattern-valid") // 002#3 wrong pattern
	add("my-project-prod-data", "s3-eventbridge-notification-enabled", "s3-bucket-https-only",    // 002#3
		"s3-bucket-name-no-duplicated-prefix") // 002#2
	add("lambda-permission", "lambda-permission-source-restricted")                          // 002#4
	add("processor-s3-policy", "no-stringified-pulumi-outputs", "iam-policy-document-valid") // 002#5, #6
	add("items-prod-replica-us-east-1", "dynamodb-global-table-stack-valid")                 // 002#7
	add("event-target", "eventbridge-lambda-target-permission")                              // 002#8
	add("processor", "lambda-xray-tracing-active")
	return s
}

// stringifiedPy is what `f"{arn}/*"` on a Python Output[str] produces.
const stringifiedPy = "Calling __str__ on an Output[T] is not supported.\n\nTo get the value of an Output[T] as an Output[str] consider:\n1. o.apply(lambda v: f\"prefix{v}suffix\")\n\nSee https://www.pulumi.com/docs/concepts/inputs-outputs for more details.\nThis function may throw in a future version of Pulumi."

func s3Failing(c *Ctx) {
	env := "prod"
	region := "us-east-1"
	// The provider is created... and never passed to any resource.
	c.AWSProvider(env+"-provider", map[string]any{
		"region": region,
		"assumeRoles": JSON([]any{map[string]any{
			"roleArn": "arn:aws:iam::" + Acct + ":role/pulumi-deploy-prod", "sessionName": "pulumi-" + env + "-deployment",
		}}),
	})
	// name already includes the prefix: bucket = f"{config['bucket_prefix']}-{name}"
	name := "my-project-prod-data"
	bucket := c.Resource("aws:s3/bucket:Bucket", name, map[string]any{
		"bucket": "my-project-prod-" + name,
		"tags":   map[string]any{"Environment": env},
	})
	// The model's pattern (pulumi.Output.json_dumps) is fine, but nothing turns on S3 -> EventBridge
	// delivery: no BucketNotification(eventbridge=True).
	rule := c.Resource("aws:cloudwatch/eventRule:EventRule", "s3-object-created", map[string]any{
		"eventPattern": Apply(func(vs ...any) any {
			return JSON(map[string]any{
				"source":      []any{"aws.s3"},
				"detail-type": []any{"Object Created"},
				"detail":      map[string]any{"bucket": map[string]any{"name": []any{vs[0]}}},
			})
		}, bucket.Out("bucket")),
	})
	// A second rule written with S3 *notification* names and a scalar source: never matches.
	c.Resource("aws:cloudwatch/eventRule:EventRule", "s3-object-removed", map[string]any{
		"eventPattern": Apply(func(vs ...any) any {
			return JSON(map[string]any{
				"source":      "aws.s3",
				"detail-type": []any{"ObjectRemoved:Delete"},
				"detail":      map[string]any{"bucket": map[string]any{"name": []any{vs[0]}}},
			})
		}, bucket.Out("bucket")),
	})
	role := c.Resource("aws:iam/role:Role", "processor-role", map[string]any{"assumeRolePolicy": lambdaTrust()})
	// f"arn:aws:s3:::{bucket.bucket}/*" on an Output[str], then json.dumps at program time:
	// the document is plain text (known in preview) with the SDK's warning inside.
	arnOf := "arn:aws:s3:::" + stringifiedPy
	c.Resource("aws:iam/rolePolicy:RolePolicy", "processor-s3-policy", map[string]any{
		"role": role.Out("id"),
		"policy": JSON(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect": "Allow", "Action": []any{"s3:GetObject", "s3:ListBucket"},
				"Resource": []any{arnOf, arnOf + "/*"},
			}},
		}),
	})
	table := c.Resource("aws:dynamodb/table:Table", "items-"+env, map[string]any{
		"billingMode":          "PAY_PER_REQUEST",
		"hashKey":              "id",
		"attributes":           []any{map[string]any{"name": "id", "type": "S"}},
		"streamEnabled":        true,
		"streamViewType":       "NEW_AND_OLD_IMAGES",
		"serverSideEncryption": map[string]any{"enabled": true},
		"pointInTimeRecovery":  map[string]any{"enabled": true},
	})
	// _get_replica_regions() returns [{"region_name": self.aws_region}] for prod: same region.
	c.Resource("aws:dynamodb/tableReplica:TableReplica", "items-"+env+"-replica-"+region, map[string]any{
		"globalTableArn":      table.Out("arn"),
		"region":              region,
		"pointInTimeRecovery": true,
	})
	fn := c.Resource("aws:lambda/function:Function", "processor", map[string]any{
		"runtime": "python3.11", "handler": "handler.lambda_handler", "role": role.Out("arn"),
		"code":        handlerArchive("handler.py", pyHandler),
		"environment": map[string]any{"variables": map[string]any{"TABLE_NAME": table.Out("name"), "ENVIRONMENT": env}},
	})
	c.Resource("aws:lambda/permission:Permission", "lambda-permission", map[string]any{
		"action": "lambda:InvokeFunction", "function": fn.Out("name"), "principal": "events.amazonaws.com",
		// source_arn=f"arn:aws:events:{region}:{account_id}:rule/{rule_name}" with the logical name
		"sourceArn": fmt.Sprintf("arn:aws:events:%s:%s:rule/%s", region, Acct, "s3-object-created"),
	})
	c.Resource("aws:cloudwatch/eventTarget:EventTarget", "event-target", map[string]any{
		"rule": rule.Out("name"), "arn": fn.Out("arn"),
	})
	c.Export("bucket_name", bucket.Out("id"))
}

func s3Fixed(c *Ctx) {
	env := "prod"
	region := "us-east-1"
	tags := map[string]string{"Environment": env, "Project": "tap", "ManagedBy": "pulumi"}
	prov := c.AWSProvider("tap-"+env+"-provider", map[string]any{
		"region":      region,
		"defaultTags": defaultTags(tags),
		"assumeRoles": JSON([]any{map[string]any{
			"roleArn": "arn:aws:iam::" + Acct + ":role/pulumi-deploy-prod", "sessionName": "pulumi-" + env + "-deployment",
		}}),
	})
	staging := c.AWSProvider("tap-staging-provider", map[string]any{
		"region":      "us-west-2",
		"defaultTags": defaultTags(map[string]string{"Environment": "staging", "Project": "tap", "ManagedBy": "pulumi"}),
		"assumeRoles": JSON([]any{map[string]any{
			"roleArn": "arn:aws:iam::" + Acct + ":role/pulumi-deploy-staging", "sessionName": "pulumi-staging-deployment",
		}}),
	})
	storage := c.Component("tap:infrastructure:StorageStack", "storage")
	bucketName := "tap-data-" + env + "-useast1"
	bucket := secureBucket(c, "bucket-data", bucketName, prov, storage)
	c.Resource("aws:s3/bucketNotification:BucketNotification", "bucket-data-eventbridge", map[string]any{
		"bucket": bucket.Out("id"), "eventbridge": true,
	}, Provider(prov), Parent(storage))

	events := c.Component("tap:infrastructure:EventBridgeStack", "eventbridge")
	rule := c.Resource("aws:cloudwatch/eventRule:EventRule", "s3-object-created-data", map[string]any{
		"eventPattern": Apply(func(vs ...any) any {
			return JSON(map[string]any{
				"source":      []any{"aws.s3"},
				"detail-type": []any{"Object Created"},
				"detail": map[string]any{
					"bucket": map[string]any{"name": []any{vs[0]}},
					"object": map[string]any{"key": []any{map[string]any{"exists": true}}},
				},
			})
		}, bucket.Out("bucket")),
	}, Provider(prov), Parent(events))

	data := c.Component("tap:infrastructure:DynamoDBStack", "dynamodb")
	table := c.Resource("aws:dynamodb/table:Table", "items-"+env, map[string]any{
		"billingMode":          "PAY_PER_REQUEST",
		"hashKey":              "id",
		"attributes":           []any{map[string]any{"name": "id", "type": "S"}},
		"streamEnabled":        true,
		"streamViewType":       "NEW_AND_OLD_IMAGES",
		"serverSideEncryption": map[string]any{"enabled": true},
		"pointInTimeRecovery":  map[string]any{"enabled": true},
	}, Provider(prov), Parent(data))
	c.Resource("aws:dynamodb/tableReplica:TableReplica", "items-prod-to-staging-replica", map[string]any{
		"globalTableArn":      table.Out("arn"),
		"pointInTimeRecovery": true,
	}, Provider(staging), Parent(data))

	iam := c.Component("tap:infrastructure:IAMStack", "iam")
	role := c.Resource("aws:iam/role:Role", "processor-role", map[string]any{"assumeRolePolicy": lambdaTrust()},
		Provider(prov), Parent(iam))
	c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "processor-basic-execution", map[string]any{
		"role": role.Out("name"), "policyArn": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
	}, Provider(prov), Parent(iam))
	c.Resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "processor-xray", map[string]any{
		"role": role.Out("name"), "policyArn": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
	}, Provider(prov), Parent(iam))
	// Output.all(...).apply(...): plain strings by the time the document is built.
	c.Resource("aws:iam/rolePolicy:RolePolicy", "processor-data-access", map[string]any{
		"role": role.Out("id"),
		"policy": JSONApply(func(vs ...any) any {
			b, t := vs[0].(string), vs[1].(string)
			return map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{
					map[string]any{"Effect": "Allow", "Action": []any{"s3:GetObject"}, "Resource": []any{b + "/*"}},
					map[string]any{"Effect": "Allow", "Action": []any{"s3:ListBucket"}, "Resource": []any{b}},
					map[string]any{"Effect": "Allow", "Action": []any{"dynamodb:PutItem", "dynamodb:UpdateItem"}, "Resource": []any{t}},
				},
			}
		}, bucket.Out("arn"), table.Out("arn")),
	}, Provider(prov), Parent(iam))

	compute := c.Component("tap:infrastructure:LambdaStack", "lambda")
	fn := c.Resource("aws:lambda/function:Function", "process-handler", map[string]any{
		"runtime": "python3.12", "handler": "process_handler.lambda_handler", "role": role.Out("arn"),
		"code":          handlerArchive("process_handler.py", pyHandler),
		"tracingConfig": map[string]any{"mode": "Active"},
		"timeout":       60,
		"environment":   map[string]any{"variables": map[string]any{"TABLE_NAME": table.Out("name"), "ENVIRONMENT": env}},
	}, Provider(prov), Parent(compute))
	c.Resource("aws:cloudwatch/eventTarget:EventTarget", "s3-object-created-data-target", map[string]any{
		"rule": rule.Out("name"), "arn": fn.Out("arn"),
	}, Provider(prov), Parent(events))
	c.Resource("aws:lambda/permission:Permission", "eventbridge-invoke-process-handler", map[string]any{
		"statementId": "AllowEventBridgeInvoke",
		"action":      "lambda:InvokeFunction", "function": fn.Out("name"), "principal": "events.amazonaws.com",
		"sourceArn": rule.Out("arn"),
	}, Provider(prov), Parent(events))
	c.Export("bucket_name", bucket.Out("bucket"))
	c.Export("bucket_arn", bucket.Out("arn"))
	c.Export("table_name", table.Out("name"))
	c.Export("process_handler_arn", fn.Out("arn"))
}
